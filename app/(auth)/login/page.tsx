import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { LoginForm } from "@/components/auth/login-form";
import { FormMessage } from "@/components/auth/form-field";
import { safeNextPath } from "@/lib/auth/redirect";
import { getViewer } from "@/server/auth/session";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("auth.login");
  return { title: t("title") };
}

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const next = typeof params.next === "string" ? params.next : undefined;
  const viewer = await getViewer();
  if (viewer) redirect(viewer.kind === "display" ? "/wall" : safeNextPath(next));
  const t = await getTranslations("auth.login");
  return (
    <Card className="w-full max-w-sm">
      <h1 className="text-xl font-semibold">{t("title")}</h1>
      <p className="mb-4 text-sm text-slate-500">{t("subtitle")}</p>
      {params.signedOut ? (
        <div className="mb-4">
          <FormMessage tone="success">{t("signedOut")}</FormMessage>
        </div>
      ) : null}
      <LoginForm next={next} />
    </Card>
  );
}
