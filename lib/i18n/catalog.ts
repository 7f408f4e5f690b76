import type { TLocale } from "./config";
import enCommon from "./messages/en/common.json";
import zhCommon from "./messages/zh-CN/common.json";

/**
 * Every user-facing string, per locale and namespace. Each feature owns one namespace file per
 * locale; tests/unit/i18n-catalog.test.ts checks that both locales have the same keys.
 */
export const CATALOGS = {
  en: { common: enCommon },
  "zh-CN": { common: zhCommon },
} satisfies Record<TLocale, Record<string, unknown>>;

export type TMessages = (typeof CATALOGS)["en"];
