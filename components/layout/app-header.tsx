import { getTranslations } from "next-intl/server";
import type { TViewer } from "@/lib/auth/viewer";
import { AccountMenu } from "./account-menu";
import { LocaleSwitcher } from "./locale-switcher";

/** The top bar; with a viewer, their account menu (role, company, sign out). */
export async function AppHeader({ viewer }: { viewer?: TViewer | null } = {}) {
  const t = await getTranslations("common.app");
  return (
    <header className="flex items-center justify-between border-b border-slate-200 bg-white px-6 py-3 dark:border-slate-800 dark:bg-slate-900">
      <div>
        <h1 className="text-xl font-bold">{t("name")}</h1>
        <p className="text-sm text-slate-500">{t("tagline")}</p>
      </div>
      <div className="flex items-center gap-4">
        <LocaleSwitcher />
        {viewer ? <AccountMenu viewer={viewer} /> : null}
      </div>
    </header>
  );
}
