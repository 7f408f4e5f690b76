import { describe, expect, it } from "vitest";
import { ERROR_FEATURES, featureOf, statusForCode, ZErrorCode } from "@/lib/errors";
import { CATALOGS } from "@/lib/i18n/catalog";
import { LOCALES } from "@/lib/i18n/config";

const registered = Object.entries(ERROR_FEATURES).flatMap(([feature, { codes }]) =>
  codes.map((code) => ({ feature, code })),
);

function messageAt(tree: unknown, path: string[]): unknown {
  return path.reduce<unknown>(
    (node, key) =>
      node !== null && typeof node === "object"
        ? (node as Record<string, unknown>)[key]
        : undefined,
    tree,
  );
}

describe("error codes: registered per feature in one place", () => {
  it("no code is registered twice", () => {
    const codes = registered.map((r) => r.code);
    expect(codes.length).toBe(new Set(codes).size);
  });

  it.each(LOCALES)(
    "every code has a non-empty message in %s under <feature>.errors.<code>",
    (locale) => {
      for (const { feature, code } of registered) {
        const message = messageAt(CATALOGS[locale], [feature, "errors", code]);
        expect(
          typeof message === "string" && message.trim() !== "",
          `${feature}.errors.${code}`,
        ).toBe(true);
      }
    },
  );

  it("every code has an HTTP status and a feature; unknown codes are refused", () => {
    for (const { feature, code } of registered) {
      const typed = ZErrorCode.parse(code);
      expect(featureOf(typed)).toBe(feature);
      expect(statusForCode(typed)).toBeGreaterThanOrEqual(400);
    }
    expect(ZErrorCode.safeParse("no_such_code").success).toBe(false);
  });
});
