"use client";

import { useTranslations } from "next-intl";

export default function ErrorPage({
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  const t = useTranslations("common.errors");
  return (
    <main className="mx-auto max-w-xl p-12 text-center" role="alert">
      <p className="mb-6 text-lg">{t("unexpected")}</p>
      <button
        type="button"
        className="rounded bg-slate-800 px-4 py-2 text-white dark:bg-slate-200 dark:text-slate-900"
        onClick={reset}
      >
        {t("retry")}
      </button>
    </main>
  );
}
