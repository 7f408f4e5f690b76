import "server-only";
import { LOCALE_COOKIE, negotiateLocale, type TLocale } from "@/lib/i18n/config";
import { readCookie } from "./auth/cookies";

/** The caller's locale, chosen the way pages choose it (cookie, then Accept-Language). */
export function localeOf(headers: Headers): TLocale {
  return negotiateLocale(
    readCookie(headers.get("cookie"), LOCALE_COOKIE),
    headers.get("accept-language"),
  );
}
