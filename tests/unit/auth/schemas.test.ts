import { describe, expect, it } from "vitest";
import {
  fieldIssues,
  ZCreateDisplayTokenInput,
  ZCreateUserInput,
  ZResetPasswordInput,
  ZRevokeDisplayTokenInput,
  ZSetUserDisabledInput,
  ZSignInInput,
  ZUpdateUserInput,
} from "@/lib/auth/schemas";

const INJECTIONS = [
  "' OR '1'='1",
  "admin'--",
  "<script>alert(1)</script>",
  "../../etc/passwd",
  "${7*7}",
  "a\u0000b",
  "x; DROP TABLE User",
];

function issuesOf(
  schema: { safeParse(v: unknown): { success: boolean; error?: unknown } },
  value: unknown,
) {
  const result = schema.safeParse(value);
  expect(result.success).toBe(false);
  return fieldIssues(result.error as never, value);
}

const validUser = {
  username: "new.sup_1",
  password: "correct-horse-1",
  role: "supervisor",
  companyCode: "90001",
  ctiAgentId: "90001_20004",
  ctiExtId: "90001_20004",
};

describe("[AUTH] input schemas", () => {
  it("accepts a well-formed user and normalises empty optional fields", () => {
    expect(ZCreateUserInput.parse(validUser)).toMatchObject({
      username: "new.sup_1",
      allCompanies: false,
    });
    expect(
      ZCreateUserInput.parse({ ...validUser, role: "viewer", ctiAgentId: "", ctiExtId: "" }),
    ).toMatchObject({ ctiAgentId: undefined, ctiExtId: undefined });
  });

  it("names empty fields as required", () => {
    expect(issuesOf(ZSignInInput, { username: "", password: "" })).toEqual({
      username: { key: "required" },
      password: { key: "required" },
    });
    expect(issuesOf(ZSignInInput, {})).toEqual({
      username: { key: "required" },
      password: { key: "required" },
    });
  });

  it("names too long fields with their limit", () => {
    expect(issuesOf(ZSignInInput, { username: "a".repeat(33), password: "x" })).toEqual({
      username: { key: "tooLong", values: { max: 32 } },
    });
    expect(
      issuesOf(ZCreateUserInput, { ...validUser, password: "p".repeat(129) }).password,
    ).toEqual({ key: "tooLong", values: { max: 128 } });
    expect(
      issuesOf(ZCreateDisplayTokenInput, { label: "L".repeat(65), companyCode: "90001" }).label,
    ).toEqual({ key: "tooLong", values: { max: 64 } });
  });

  it("rejects wrong types", () => {
    expect(issuesOf(ZSignInInput, { username: 42, password: ["x"] })).toEqual({
      username: { key: "invalid" },
      password: { key: "invalid" },
    });
    expect(issuesOf(ZSetUserDisabledInput, { userId: "abc", disabled: "yes" })).toEqual({
      disabled: { key: "invalid" },
    });
    expect(issuesOf(ZCreateUserInput, { ...validUser, role: "root" }).role).toEqual({
      key: "invalid",
    });
    expect(
      issuesOf(ZCreateDisplayTokenInput, {
        label: "Wall",
        companyCode: "90001",
        expiresInDays: "soon",
      }).expiresInDays,
    ).toBeDefined();
    expect(ZSignInInput.safeParse(null).success).toBe(false);
    expect(ZSignInInput.safeParse("admin").success).toBe(false);
  });

  it.each(INJECTIONS)("rejects the injection string %j in identifiers", (bad) => {
    expect(issuesOf(ZCreateUserInput, { ...validUser, username: bad }).username).toBeDefined();
    expect(
      issuesOf(ZCreateUserInput, { ...validUser, companyCode: bad }).companyCode,
    ).toBeDefined();
    expect(issuesOf(ZUpdateUserInput, { ...validUser, userId: bad }).userId).toBeDefined();
    expect(
      issuesOf(ZCreateDisplayTokenInput, { label: bad, companyCode: "90001" }).label,
    ).toBeDefined();
    expect(issuesOf(ZRevokeDisplayTokenInput, { tokenId: bad }).tokenId).toBeDefined();
    expect(
      issuesOf(ZResetPasswordInput, { userId: bad, password: "long-enough-1" }).userId,
    ).toBeDefined();
  });

  it("keeps roles, companies and CTI links consistent", () => {
    expect(issuesOf(ZCreateUserInput, { ...validUser, ctiAgentId: "" }).ctiAgentId).toEqual({
      key: "ctiRequired",
    });
    expect(
      issuesOf(ZCreateUserInput, { ...validUser, role: "viewer", allCompanies: true }).allCompanies,
    ).toEqual({ key: "allCompaniesAdminOnly" });
    expect(issuesOf(ZCreateUserInput, { ...validUser, password: "short" }).password).toEqual({
      key: "tooShort",
      values: { min: 10 },
    });
    expect(
      ZCreateUserInput.safeParse({ ...validUser, role: "admin", allCompanies: true }).success,
    ).toBe(true);
  });

  it("accepts Chinese display labels and bounded expiries", () => {
    expect(
      ZCreateDisplayTokenInput.parse({
        label: "3楼 大屏 (东)",
        companyCode: "90001",
        expiresInDays: "30",
      }),
    ).toEqual({
      label: "3楼 大屏 (东)",
      companyCode: "90001",
      expiresInDays: 30,
    });
    expect(
      ZCreateDisplayTokenInput.parse({ label: "Wall", companyCode: "90001", expiresInDays: "" })
        .expiresInDays,
    ).toBeUndefined();
    expect(
      ZCreateDisplayTokenInput.safeParse({
        label: "Wall",
        companyCode: "90001",
        expiresInDays: "0",
      }).success,
    ).toBe(false);
    expect(
      ZCreateDisplayTokenInput.safeParse({
        label: "Wall",
        companyCode: "90001",
        expiresInDays: "99999",
      }).success,
    ).toBe(false);
  });
});
