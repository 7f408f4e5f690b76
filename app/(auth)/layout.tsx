import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import { LocaleSwitcher } from "@/components/layout/locale-switcher";

/** The signed-out zone: a centred card, the language switch, no navigation. */
export default async function AuthLayout({ children }: { children: ReactNode }) {
  const t = await getTranslations("common.app");
  return (
    <div className="flex min-h-screen flex-col bg-slate-50 dark:bg-slate-950">
      <header className="flex items-center justify-between px-6 py-4">
        <span className="text-lg font-bold">{t("name")}</span>
        <LocaleSwitcher />
      </header>
      <main className="flex flex-1 items-start justify-center px-4 pt-16">{children}</main>
    </div>
  );
}
