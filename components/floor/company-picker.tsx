"use client";

import { useTranslations } from "next-intl";
import { usePathname, useRouter } from "next/navigation";

/** Switches the watched company (kept in `?company=` so a page can be bookmarked). */
export function CompanyPicker({ companies, current }: { companies: string[]; current: string }) {
  const t = useTranslations("floor");
  const router = useRouter();
  const pathname = usePathname();
  if (companies.length < 2)
    return (
      <span className="text-sm text-slate-500">
        {t("company")}: {current}
      </span>
    );
  return (
    <label className="flex items-center gap-2 text-sm">
      <span>{t("company")}</span>
      <select
        data-testid="company-picker"
        className="rounded border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900"
        value={current}
        onChange={(e) => router.push(`${pathname}?company=${encodeURIComponent(e.target.value)}`)}
      >
        {companies.map((code) => (
          <option key={code} value={code}>
            {code}
          </option>
        ))}
      </select>
    </label>
  );
}
