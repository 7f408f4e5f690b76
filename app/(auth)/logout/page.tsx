import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { BUTTON, BUTTON_SECONDARY } from "@/components/auth/form-field";
import { getViewer } from "@/server/auth/session";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("auth.logout");
  return { title: t("title") };
}

/** Signing out changes state, so a GET only asks; the button posts the action. */
export default async function LogoutPage() {
  const viewer = await getViewer();
  if (!viewer) redirect("/login");
  const t = await getTranslations("auth.logout");
  return (
    <Card className="w-full max-w-sm">
      <h1 className="mb-2 text-xl font-semibold">{t("title")}</h1>
      <p className="mb-4 text-slate-600 dark:text-slate-300">{t("confirm")}</p>
      <div className="flex gap-2">
        <SignOutButton className={BUTTON}>{t("submit")}</SignOutButton>
        <Link href={viewer.kind === "display" ? "/wall" : "/"} className={BUTTON_SECONDARY}>
          {t("cancel")}
        </Link>
      </div>
    </Card>
  );
}
