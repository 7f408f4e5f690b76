import "server-only";
import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { CATALOGS } from "@/lib/i18n/catalog";
import { LOCALE_COOKIE, negotiateLocale } from "@/lib/i18n/config";

/**
 * next-intl's request configuration (next.config.ts names this file): the locale and messages of
 * the request being rendered, from its cookie and Accept-Language. It reads request headers, so it
 * is server code and lives here, not in lib/ (which runs anywhere).
 */
export default getRequestConfig(async () => {
  const [cookieStore, headerList] = await Promise.all([cookies(), headers()]);
  const locale = negotiateLocale(
    cookieStore.get(LOCALE_COOKIE)?.value,
    headerList.get("accept-language"),
  );
  return { locale, messages: CATALOGS[locale], timeZone: "Asia/Shanghai" };
});
