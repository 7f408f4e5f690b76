import { describe, expect, it } from "vitest";
import { CATALOGS } from "@/lib/i18n/catalog";
import { AUTH_ERROR_CODES } from "@/lib/auth/errors";
import { FIELD_MESSAGE_KEYS } from "@/lib/auth/schemas";
import { AUDIT_EVENT_TYPES } from "@/lib/audit/events";
import { ROLES } from "@/lib/auth/viewer";

function keys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

function lookup(tree: unknown, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>(
      (node, key) =>
        typeof node === "object" && node !== null
          ? (node as Record<string, unknown>)[key]
          : undefined,
      tree,
    );
}

describe("[AUTH] messages in both languages", () => {
  it.each(["auth", "admin"] as const)("%s has the same keys in en and zh-CN", (ns) => {
    expect(keys(CATALOGS["zh-CN"][ns]).sort()).toEqual(keys(CATALOGS.en[ns]).sort());
  });

  it.each(["en", "zh-CN"] as const)(
    "every error code, field message, role and audit type has a %s message",
    (locale) => {
      const { auth, admin } = CATALOGS[locale];
      for (const code of AUTH_ERROR_CODES) expect(auth.errors[code], code).toBeTruthy();
      for (const key of FIELD_MESSAGE_KEYS) expect(auth.fields[key], key).toBeTruthy();
      for (const role of [...ROLES, "display" as const])
        expect(auth.roles[role], role).toBeTruthy();
      // Audit types nest by their dots: "login.failed" is audit.types.login.failed.
      for (const type of AUDIT_EVENT_TYPES)
        expect(lookup(admin.audit.types, type), type).toEqual(expect.any(String));
    },
  );
});
