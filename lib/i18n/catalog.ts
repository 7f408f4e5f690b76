import type { TLocale } from "./config";
import enCommon from "./messages/en/common.json";
import zhCommon from "./messages/zh-CN/common.json";
import enAuth from "./messages/en/auth.json";
import zhAuth from "./messages/zh-CN/auth.json";
import enAdmin from "./messages/en/admin.json";
import zhAdmin from "./messages/zh-CN/admin.json";
import enFloor from "./messages/en/floor.json";
import zhFloor from "./messages/zh-CN/floor.json";
import enCalls from "./messages/en/calls.json";
import zhCalls from "./messages/zh-CN/calls.json";
import enInterventions from "./messages/en/interventions.json";
import zhInterventions from "./messages/zh-CN/interventions.json";
import enAudit from "./messages/en/audit.json";
import zhAudit from "./messages/zh-CN/audit.json";
import enWall from "./messages/en/wall.json";
import zhWall from "./messages/zh-CN/wall.json";

/**
 * Every user-facing string, per locale and namespace. Each feature owns one namespace file per
 * locale; tests/unit/foundation/i18n.test.ts checks that both locales have the same keys.
 */
export const CATALOGS = {
  en: {
    common: enCommon,
    auth: enAuth,
    admin: enAdmin,
    floor: enFloor,
    calls: enCalls,
    interventions: enInterventions,
    audit: enAudit,
    wall: enWall,
  },
  "zh-CN": {
    common: zhCommon,
    auth: zhAuth,
    admin: zhAdmin,
    floor: zhFloor,
    calls: zhCalls,
    interventions: zhInterventions,
    audit: zhAudit,
    wall: zhWall,
  },
} satisfies Record<TLocale, Record<string, unknown>>;

export type TMessages = (typeof CATALOGS)["en"];
