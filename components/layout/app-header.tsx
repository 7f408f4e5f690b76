import { getTranslations } from "next-intl/server";
import { LocaleSwitcher } from "./locale-switcher";

export async function AppHeader() {
  const t = await getTranslations("common.app");
  return (
    <header className="flex items-center justify-between border-b border-slate-200 bg-white px-6 py-3 dark:border-slate-800 dark:bg-slate-900">
      <div>
        <h1 className="text-xl font-bold">{t("name")}</h1>
        <p className="text-sm text-slate-500">{t("tagline")}</p>
      </div>
      <LocaleSwitcher />
    </header>
  );
}
