import "server-only";
import { createTranslator } from "next-intl";
import type { z } from "zod";
import { CATALOGS } from "@/lib/i18n/catalog";
import type { TLocale } from "@/lib/i18n/config";
import { featureOf, type TActionFailure, type TErrorCode } from "@/lib/errors";
import { fieldIssues } from "@/lib/auth/schemas";

/** The message of a registered code in the caller's language, with the values it names. */
export function errorMessage(
  code: TErrorCode,
  locale: TLocale,
  values?: Record<string, string | number>,
): string {
  const feature = featureOf(code);
  const t = createTranslator({ locale, messages: CATALOGS[locale], namespace: feature });
  return t(`errors.${code}` as Parameters<typeof t>[0], values);
}

/** `{ok:false, code, message}` in the caller's language. */
export function failure(
  code: TErrorCode,
  locale: TLocale,
  fieldErrors?: Record<string, string>,
  values?: Record<string, string | number>,
): TActionFailure {
  return {
    ok: false,
    code,
    message: errorMessage(code, locale, values),
    ...(fieldErrors ? { fieldErrors } : {}),
  };
}

/** An `invalid_input` failure naming each bad field. */
export function invalidInput(error: z.ZodError, input: unknown, locale: TLocale): TActionFailure {
  const t = createTranslator({ locale, messages: CATALOGS[locale], namespace: "auth" });
  const fields: Record<string, string> = {};
  for (const [field, { key, values }] of Object.entries(fieldIssues(error, input))) {
    fields[field] = t(`fields.${key}`, values);
  }
  return failure("invalid_input", locale, fields);
}
