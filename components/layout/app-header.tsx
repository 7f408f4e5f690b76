import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { AUDIT_ROLES } from "@/lib/audit/filters";
import type { TViewer } from "@/lib/auth/viewer";
import { mayIntervene } from "@/lib/interventions/availability";
import { SeatControl } from "@/components/interventions/seat-control";
import { AccountMenu } from "./account-menu";
import { LocaleSwitcher } from "./locale-switcher";

/** The top bar; with a viewer, their account menu (role, company, sign out). */
export async function AppHeader({ viewer }: { viewer?: TViewer | null } = {}) {
  const t = await getTranslations("common.app");
  const tAudit = await getTranslations("audit");
  const readsAudit =
    viewer?.kind === "user" && (AUDIT_ROLES as readonly string[]).includes(viewer.role);
  return (
    <header className="flex items-center justify-between border-b border-slate-200 bg-white px-6 py-3 dark:border-slate-800 dark:bg-slate-900">
      <div>
        <h1 className="text-xl font-bold">{t("name")}</h1>
        <p className="text-sm text-slate-500">{t("tagline")}</p>
      </div>
      <div className="flex items-center gap-4">
        {readsAudit ? (
          <Link
            href="/audit"
            className="rounded px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800"
            data-testid="nav-audit"
          >
            {tAudit("nav")}
          </Link>
        ) : null}
        <LocaleSwitcher />
        {viewer && mayIntervene(viewer) ? <SeatControl ctiAgentId={viewer.ctiAgentId} /> : null}
        {viewer ? <AccountMenu viewer={viewer} /> : null}
      </div>
    </header>
  );
}
