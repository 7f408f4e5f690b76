import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { BUTTON_SECONDARY } from "@/components/auth/form-field";
import { ZAuthErrorCode } from "@/lib/auth/errors";
import { getViewer } from "@/server/auth/session";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("auth.wall");
  return { title: t("title") };
}

/**
 * The wall display's page: read-only, one company. Shows which display and company this session
 * is for; the live wall view is added by the floor work. A bad display link explains itself.
 */
export default async function WallPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { error } = await searchParams;
  const t = await getTranslations("auth");
  const viewer = await getViewer();
  if (!viewer) {
    const code = ZAuthErrorCode.safeParse(error);
    if (!code.success) redirect("/login?next=/wall");
    return (
      <main className="flex min-h-screen items-center justify-center p-6">
        <Card className="max-w-md">
          <h1 className="mb-2 text-xl font-semibold">{t("wall.title")}</h1>
          <p role="alert" data-testid="wall-error" data-code={code.data}>
            {t(`errors.${code.data}`)}
          </p>
        </Card>
      </main>
    );
  }
  const companies =
    viewer.companies === "all" ? t("account.allCompanies") : viewer.companies.join(", ");
  return (
    <main className="flex min-h-screen flex-col gap-6 p-8" data-testid="wall">
      <header className="flex items-center justify-between">
        <h1 className="text-3xl font-bold">{t("wall.title")}</h1>
        <SignOutButton className={BUTTON_SECONDARY}>
          {viewer.kind === "display" ? t("wall.signOut") : t("account.signOut")}
        </SignOutButton>
      </header>
      <Card>
        <dl className="grid grid-cols-[max-content_1fr] gap-x-8 gap-y-2 text-xl">
          <dt className="text-slate-500">
            {viewer.kind === "display" ? t("wall.label") : t("account.role")}
          </dt>
          <dd data-testid="wall-label">
            {viewer.kind === "display" ? viewer.name : t(`roles.${viewer.role}`)}
          </dd>
          <dt className="text-slate-500">{t("wall.company")}</dt>
          <dd data-testid="wall-company">{companies}</dd>
        </dl>
      </Card>
      <p className="text-slate-500">{t("wall.readOnly")}</p>
    </main>
  );
}
