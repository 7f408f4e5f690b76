import Link from "next/link";
import { getTranslations } from "next-intl/server";
import type { TViewer } from "@/lib/auth/viewer";
import { Badge } from "@/components/ui/badge";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { BUTTON_SECONDARY } from "@/components/auth/form-field";

/** Who is signed in, their role and company; links to administration; sign out. */
export async function AccountMenu({ viewer }: { viewer: TViewer }) {
  const t = await getTranslations("auth");
  const companies =
    viewer.companies === "all" ? t("account.allCompanies") : viewer.companies.join(", ");
  return (
    <details className="relative" data-testid="account-menu">
      <summary className="flex cursor-pointer list-none items-center gap-2 rounded px-2 py-1 hover:bg-slate-100 dark:hover:bg-slate-800">
        <span className="font-medium" data-testid="account-name">
          {viewer.name}
        </span>
        <Badge tone="neutral">
          <span data-testid="account-role">{t(`roles.${viewer.role}`)}</span>
        </Badge>
        <span className="text-sm text-slate-500" data-testid="account-company">
          {companies}
        </span>
      </summary>
      <div className="absolute right-0 z-20 mt-2 w-72 rounded-lg border border-slate-200 bg-white p-4 shadow-lg dark:border-slate-800 dark:bg-slate-900">
        <p className="mb-3 text-sm text-slate-500">
          {t("account.signedInAs", { name: viewer.name })}
        </p>
        <dl className="mb-4 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="text-slate-500">{t("account.role")}</dt>
          <dd>{t(`roles.${viewer.role}`)}</dd>
          <dt className="text-slate-500">{t("account.company")}</dt>
          <dd>{companies}</dd>
          {viewer.ctiAgentId ? (
            <>
              <dt className="text-slate-500">{t("account.seat")}</dt>
              <dd className="font-mono">{viewer.ctiAgentId}</dd>
            </>
          ) : null}
        </dl>
        <div className="flex flex-wrap gap-2">
          {viewer.kind === "user" && viewer.role === "admin" ? (
            <Link href="/admin/users" className={BUTTON_SECONDARY} data-testid="nav-admin">
              {t("account.admin")}
            </Link>
          ) : null}
          <SignOutButton className={BUTTON_SECONDARY}>{t("account.signOut")}</SignOutButton>
        </div>
      </div>
    </details>
  );
}
