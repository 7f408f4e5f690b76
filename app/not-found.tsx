import Link from "next/link";
import { getTranslations } from "next-intl/server";

export default async function NotFound() {
  const t = await getTranslations("common");
  return (
    <main className="mx-auto max-w-xl p-12 text-center">
      <h1 className="mb-4 text-2xl font-bold">404</h1>
      <p className="mb-6 text-lg">{t("errors.notFound")}</p>
      <Link className="text-blue-700 underline dark:text-blue-300" href="/">
        {t("app.name")}
      </Link>
    </main>
  );
}
