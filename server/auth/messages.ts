import { createTranslator } from "next-intl";
import type { z } from "zod";
import { CATALOGS } from "@/lib/i18n/catalog";
import { LOCALE_COOKIE, negotiateLocale, type TLocale } from "@/lib/i18n/config";
import type { TActionFailure, TAuthErrorCode } from "@/lib/auth/errors";
import { fieldIssues } from "@/lib/auth/schemas";
import { readCookie } from "./cookies";

/** The caller's locale, chosen the way pages choose it (cookie, then Accept-Language). */
export function localeOf(headers: Headers): TLocale {
  return negotiateLocale(
    readCookie(headers.get("cookie"), LOCALE_COOKIE),
    headers.get("accept-language"),
  );
}

function translator(locale: TLocale) {
  return createTranslator({ locale, messages: CATALOGS[locale], namespace: "auth" });
}

/** `{ok:false, code, message}` in the caller's language. */
export function failure(
  code: TAuthErrorCode,
  locale: TLocale,
  fieldErrors?: Record<string, string>,
): TActionFailure {
  return {
    ok: false,
    code,
    message: translator(locale)(`errors.${code}`),
    ...(fieldErrors ? { fieldErrors } : {}),
  };
}

/** An `invalid_input` failure naming each bad field. */
export function invalidInput(error: z.ZodError, input: unknown, locale: TLocale): TActionFailure {
  const t = translator(locale);
  const fields: Record<string, string> = {};
  for (const [field, { key, values }] of Object.entries(fieldIssues(error, input))) {
    fields[field] = t(`fields.${key}`, values);
  }
  return failure("invalid_input", locale, fields);
}
