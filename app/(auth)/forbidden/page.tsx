import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { BUTTON_SECONDARY } from "@/components/auth/form-field";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("auth.forbidden");
  return { title: t("title") };
}

/** Where requireViewer sends a signed-in user whose role or company does not fit the page. */
export default async function ForbiddenPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { code } = await searchParams;
  const t = await getTranslations("auth");
  const reason = code === "forbidden_company" ? "forbidden_company" : "forbidden_role";
  return (
    <Card className="w-full max-w-md">
      <h1 className="mb-2 text-xl font-semibold" data-testid="forbidden-title">
        {t("forbidden.title")}
      </h1>
      <p
        className="mb-4 text-slate-600 dark:text-slate-300"
        data-testid="forbidden-reason"
        data-code={reason}
      >
        {t(`errors.${reason}`)}
      </p>
      <div className="flex gap-2">
        <Link href="/" className={BUTTON_SECONDARY}>
          {t("forbidden.back")}
        </Link>
        <Link href="/logout" className={BUTTON_SECONDARY}>
          {t("forbidden.signInOther")}
        </Link>
      </div>
    </Card>
  );
}
