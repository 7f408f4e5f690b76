import Link from "next/link";
import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import { AppHeader } from "@/components/layout/app-header";
import { requireViewer } from "@/server/auth/session";

/** Administration: admins only (each page checks again: layouts do not re-run on navigation). */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const viewer = await requireViewer({ roles: ["admin"] });
  const t = await getTranslations("admin.nav");
  const ti = await getTranslations("interventions.admin");
  const link =
    "rounded px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800";
  return (
    <>
      <AppHeader viewer={viewer} />
      <nav className="flex items-center gap-1 border-b border-slate-200 bg-white px-4 py-1 dark:border-slate-800 dark:bg-slate-900">
        <Link href="/" className={link}>
          ←
        </Link>
        <span className="px-2 text-sm font-semibold text-slate-500">{t("title")}</span>
        <Link href="/admin/users" className={link} data-testid="nav-admin-users">
          {t("users")}
        </Link>
        <Link href="/admin/tokens" className={link} data-testid="nav-admin-tokens">
          {t("tokens")}
        </Link>
        <Link href="/admin/audit" className={link} data-testid="nav-admin-audit">
          {t("audit")}
        </Link>
        <Link href="/admin/interventions" className={link} data-testid="nav-admin-interventions">
          {ti("nav")}
        </Link>
        <Link href="/admin/wall" className={link} data-testid="nav-admin-wall">
          {t("wall")}
        </Link>
      </nav>
      <main className="mx-auto max-w-6xl p-6">{children}</main>
    </>
  );
}
