import { z } from "zod";
import { ZDisplaySettings } from "@/lib/wall/types";
import { ZRole } from "./viewer";

/**
 * Input schemas shared by the forms (components/auth, components/admin) and their server
 * actions. Messages are keys under `auth.fields.*`, translated where they are shown.
 */
export const USERNAME_MAX = 32;
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;
export const LABEL_MAX = 64;

const ZId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\w-]+$/, { error: "invalid" });

export const ZUsername = z
  .string()
  .trim()
  .min(3)
  .max(USERNAME_MAX)
  .regex(/^[a-zA-Z0-9_.]+$/, { error: "usernameFormat" });

export const ZNewPassword = z.string().min(PASSWORD_MIN).max(PASSWORD_MAX);

export const ZCompanyCode = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .regex(/^[\w-]+$/, { error: "companyFormat" });

const ZCtiId = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\w-]+$/, { error: "ctiFormat" });

/** An optional text field: the form's empty string means "not set". */
function optional<T extends z.ZodType>(schema: T) {
  return z.union([z.literal("").transform(() => undefined), schema]).optional();
}

/**
 * A number typed in a form field, as text or as a number: blank text is "not set" (required
 * unless the schema is optional), other text must read as a number (NaN fails as "invalid").
 */
export function formValueToNumber(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const text = value.trim();
  if (text === "") return undefined;
  // Long text is no number we take; left as text, it fails as "invalid".
  return text.length > 16 ? value : Number(text);
}

/** `schema` applied to a form field's number (formValueToNumber). */
export function formNumber<T extends z.ZodType>(schema: T) {
  return z.preprocess(formValueToNumber, schema);
}

export const ZSignInInput = z.object({
  username: z.string().trim().min(1).max(USERNAME_MAX),
  password: z.string().min(1).max(PASSWORD_MAX),
});
export type TSignInInput = z.infer<typeof ZSignInInput>;

const ZUserFields = z.object({
  role: ZRole,
  companyCode: ZCompanyCode,
  allCompanies: z.boolean().default(false),
  ctiAgentId: optional(ZCtiId),
  ctiExtId: optional(ZCtiId),
});

type TUserFields = z.infer<typeof ZUserFields>;

/** Only admins may span companies; supervisors need their own seat on the CTI. */
function checkUserFields(value: TUserFields, ctx: z.core.$RefinementCtx<TUserFields>): void {
  if (value.allCompanies && value.role !== "admin") {
    ctx.addIssue({ code: "custom", path: ["allCompanies"], message: "allCompaniesAdminOnly" });
  }
  if (value.role === "supervisor") {
    if (!value.ctiAgentId)
      ctx.addIssue({ code: "custom", path: ["ctiAgentId"], message: "ctiRequired" });
    if (!value.ctiExtId)
      ctx.addIssue({ code: "custom", path: ["ctiExtId"], message: "ctiRequired" });
  }
}

export const ZCreateUserInput = ZUserFields.extend({
  username: ZUsername,
  password: ZNewPassword,
}).superRefine(checkUserFields);
export type TCreateUserInput = z.infer<typeof ZCreateUserInput>;

export const ZUpdateUserInput = ZUserFields.extend({ userId: ZId }).superRefine(checkUserFields);
export type TUpdateUserInput = z.infer<typeof ZUpdateUserInput>;

export const ZSetUserDisabledInput = z.object({ userId: ZId, disabled: z.boolean() });
export type TSetUserDisabledInput = z.infer<typeof ZSetUserDisabledInput>;

export const ZResetPasswordInput = z.object({ userId: ZId, password: ZNewPassword });
export type TResetPasswordInput = z.infer<typeof ZResetPasswordInput>;

export const ZCreateDisplayTokenInput = z.object({
  label: z
    .string()
    .trim()
    .min(1)
    .max(LABEL_MAX)
    .regex(/^[\p{L}\p{N}][\p{L}\p{N} _.#()-]*$/u, { error: "labelFormat" }),
  companyCode: ZCompanyCode,
  /** Days until the token stops working; unset: until revoked. */
  expiresInDays: z
    .union([z.literal("").transform(() => undefined), z.coerce.number().int().min(1).max(3650)])
    .optional(),
  /** The wall's settings; unset: DEFAULT_DISPLAY_SETTINGS. */
  rotateSeconds: formNumber(ZDisplaySettings.shape.rotateSeconds.optional()),
  sound: ZDisplaySettings.shape.sound.optional(),
});
export type TCreateDisplayTokenInput = z.infer<typeof ZCreateDisplayTokenInput>;

export const ZRevokeDisplayTokenInput = z.object({ tokenId: ZId });
export type TRevokeDisplayTokenInput = z.infer<typeof ZRevokeDisplayTokenInput>;

/** An existing token's wall settings (its label, company and expiry do not change). */
export const ZUpdateDisplayTokenInput = z.object({
  tokenId: ZId,
  rotateSeconds: formNumber(ZDisplaySettings.shape.rotateSeconds),
  sound: ZDisplaySettings.shape.sound,
});
export type TUpdateDisplayTokenInput = z.infer<typeof ZUpdateDisplayTokenInput>;

/** Keys under `auth.fields.*` that a field error may carry. */
export const FIELD_MESSAGE_KEYS = [
  "required",
  "tooShort",
  "tooLong",
  "invalid",
  "usernameFormat",
  "companyFormat",
  "ctiFormat",
  "labelFormat",
  "allCompaniesAdminOnly",
  "ctiRequired",
  "tooSmall",
  "tooLarge",
  /** lib/wall/types.ts ZWallThresholds: a red threshold at or below its amber one. */
  "red_not_after_amber",
] as const;
export type TFieldMessageKey = (typeof FIELD_MESSAGE_KEYS)[number];

/**
 * One message key (with its parameters) per failing field, the first issue winning. `input` is
 * what was parsed: a missing value reads "required", a value of the wrong type "invalid".
 */
export function fieldIssues(
  error: z.ZodError,
  input: unknown,
): Record<string, { key: TFieldMessageKey; values?: Record<string, number> }> {
  const out: Record<string, { key: TFieldMessageKey; values?: Record<string, number> }> = {};
  for (const issue of error.issues) {
    const field = issue.path.map(String).join(".") || "_";
    if (out[field]) continue;
    out[field] = describeIssue(issue, valueAt(input, issue.path));
  }
  return out;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function describeIssue(
  issue: z.core.$ZodIssue,
  value: unknown,
): { key: TFieldMessageKey; values?: Record<string, number> } {
  if ((FIELD_MESSAGE_KEYS as readonly string[]).includes(issue.message)) {
    return { key: issue.message as TFieldMessageKey };
  }
  switch (issue.code) {
    case "invalid_type":
      // A blank form field (a number's text) is missing, not malformed.
      return {
        key:
          value === undefined ||
          value === null ||
          (typeof value === "string" && value.trim() === "")
            ? "required"
            : "invalid",
      };
    case "too_small":
      if (issue.origin === "number")
        return { key: "tooSmall", values: { min: Number(issue.minimum) } };
      return value === "" || (Number(issue.minimum) <= 1 && issue.origin === "string")
        ? { key: "required" }
        : { key: "tooShort", values: { min: Number(issue.minimum) } };
    case "too_big":
      if (issue.origin === "number")
        return { key: "tooLarge", values: { max: Number(issue.maximum) } };
      return { key: "tooLong", values: { max: Number(issue.maximum) } };
    default:
      return { key: "invalid" };
  }
}
