import Link from "next/link";
import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import { AppHeader } from "@/components/layout/app-header";
import { requireViewer } from "@/server/auth/session";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const viewer = await requireViewer();
  const t = await getTranslations("floor.nav");
  const link =
    "rounded px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800";
  return (
    <>
      <AppHeader viewer={viewer} />
      <nav className="flex gap-1 border-b border-slate-200 bg-white px-4 py-1 dark:border-slate-800 dark:bg-slate-900">
        <Link href="/floor" className={link} data-testid="nav-floor">
          {t("floor")}
        </Link>
        <Link href="/calls" className={link} data-testid="nav-calls">
          {t("calls")}
        </Link>
        <Link href="/status" className={link} data-testid="nav-status">
          {t("status")}
        </Link>
      </nav>
      <main className="p-4">{children}</main>
    </>
  );
}
