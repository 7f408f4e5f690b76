import { z } from "zod";

/**
 * Every refusal a user may see, as a stable code. Each code has a message in both locales under
 * `auth.errors.<code>` (lib/i18n/messages/{en,zh-CN}/auth.json); registered in lib/errors.ts.
 */
export const AUTH_ERROR_CODES = [
  "unauthenticated",
  "forbidden_role",
  "forbidden_company",
  "invalid_input",
  "invalid_credentials",
  "account_locked",
  "rate_limited",
  "origin_refused",
  "username_taken",
  "user_not_found",
  "token_not_found",
  "token_invalid",
  "token_used",
  "cannot_change_self",
  "internal",
] as const;
export const ZAuthErrorCode = z.enum(AUTH_ERROR_CODES);
export type TAuthErrorCode = z.infer<typeof ZAuthErrorCode>;

/** HTTP status for a code in route handlers. */
export function statusForAuthCode(code: TAuthErrorCode): number {
  switch (code) {
    case "unauthenticated":
    case "invalid_credentials":
    case "token_invalid":
    case "token_used":
      return 401;
    case "forbidden_role":
    case "forbidden_company":
    case "origin_refused":
    case "cannot_change_self":
      return 403;
    case "account_locked":
    case "rate_limited":
      return 429;
    case "user_not_found":
    case "token_not_found":
      return 404;
    case "username_taken":
      return 409;
    case "invalid_input":
      return 400;
    case "internal":
      return 500;
  }
}
