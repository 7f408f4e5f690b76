import { describe, expect, it } from "vitest";
import {
  fieldIssues,
  ZCreateDisplayTokenInput,
  ZUpdateDisplayTokenInput,
} from "@/lib/auth/schemas";
import { ZUpdateWallThresholdsInput, ZWallHistoryQuery } from "@/lib/wall/schemas";
import { DEFAULT_WALL_THRESHOLDS } from "@/lib/wall/types";

function issues(
  schema: { safeParse(v: unknown): { success: boolean; error?: unknown } },
  value: unknown,
) {
  const result = schema.safeParse(value);
  expect(result.success).toBe(false);
  return fieldIssues(result.error as never, value);
}

const FORM = {
  ringAmberS: "20",
  ringRedS: "60",
  talkAmberS: "600",
  talkRedS: "1200",
  restMin: "15",
};

describe("[WALL] thresholds form input", () => {
  it("takes the form's text as numbers and drops unknown fields", () => {
    expect(
      ZUpdateWallThresholdsInput.parse({
        companyCode: "90001",
        thresholds: { ...FORM, ringAmberS: " 25 ", extra: "x" },
      }),
    ).toEqual({ companyCode: "90001", thresholds: { ...DEFAULT_WALL_THRESHOLDS, ringAmberS: 25 } });
  });

  it("names each bad field with its message key", () => {
    expect(
      issues(ZUpdateWallThresholdsInput, {
        companyCode: "90001",
        thresholds: {
          ...FORM,
          ringAmberS: "",
          ringRedS: "abc",
          talkAmberS: "0",
          talkRedS: "86401",
          restMin: "1.5",
        },
      }),
    ).toEqual({
      "thresholds.ringAmberS": { key: "required" },
      "thresholds.ringRedS": { key: "invalid" },
      "thresholds.talkAmberS": { key: "tooSmall", values: { min: 1 } },
      "thresholds.talkRedS": { key: "tooLarge", values: { max: 86_400 } },
      "thresholds.restMin": { key: "invalid" },
    });
  });

  it("red must come after amber, for ring and for talk", () => {
    expect(
      issues(ZUpdateWallThresholdsInput, {
        companyCode: "90001",
        thresholds: {
          ...FORM,
          ringAmberS: "60",
          ringRedS: "60",
          talkAmberS: "900",
          talkRedS: "600",
        },
      }),
    ).toEqual({
      "thresholds.ringRedS": { key: "red_not_after_amber" },
      "thresholds.talkRedS": { key: "red_not_after_amber" },
    });
  });

  it("refuses a missing or malformed company and thresholds that are no object", () => {
    expect(
      Object.keys(
        issues(ZUpdateWallThresholdsInput, { companyCode: "' OR 1=1", thresholds: "x" }),
      ).sort(),
    ).toEqual(["companyCode", "thresholds"]);
  });
});

describe("[WALL] history query", () => {
  it("defaults to 8 hours and takes 1..24", () => {
    expect(ZWallHistoryQuery.parse({})).toEqual({ hours: 8 });
    expect(ZWallHistoryQuery.parse({ hours: "1" })).toEqual({ hours: 1 });
    expect(ZWallHistoryQuery.parse({ hours: "24" })).toEqual({ hours: 24 });
  });

  it.each([
    ["0"],
    ["25"],
    ["-1"],
    ["1.5"],
    ["abc"],
    [""],
    ["9".repeat(500)],
    ["0x10"],
    ["1e1"],
    [" 8"],
    [["1", "2"]],
  ])("refuses hours=%j", (hours) => {
    expect(issues(ZWallHistoryQuery, { hours }).hours).toBeDefined();
  });
});

describe("[WALL] display token settings input", () => {
  it("creation takes rotation and sound, both optional", () => {
    expect(
      ZCreateDisplayTokenInput.parse({
        label: "Wall",
        companyCode: "90001",
        rotateSeconds: "30",
        sound: false,
      }),
    ).toEqual({ label: "Wall", companyCode: "90001", rotateSeconds: 30, sound: false });
    expect(
      ZCreateDisplayTokenInput.parse({ label: "Wall", companyCode: "90001", rotateSeconds: "" }),
    ).toEqual({
      label: "Wall",
      companyCode: "90001",
    });
  });

  it("an edit needs both, within the contract's bounds", () => {
    expect(
      ZUpdateDisplayTokenInput.parse({ tokenId: "t1", rotateSeconds: "0", sound: true }),
    ).toEqual({
      tokenId: "t1",
      rotateSeconds: 0,
      sound: true,
    });
    expect(
      issues(ZUpdateDisplayTokenInput, { tokenId: "t1", rotateSeconds: "3601", sound: "yes" }),
    ).toEqual({
      rotateSeconds: { key: "tooLarge", values: { max: 3600 } },
      sound: { key: "invalid" },
    });
    expect(
      issues(ZUpdateDisplayTokenInput, { tokenId: "t1", rotateSeconds: "", sound: true }),
    ).toEqual({
      rotateSeconds: { key: "required" },
    });
  });
});
