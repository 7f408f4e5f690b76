import { getTranslations } from "next-intl/server";
import { TokensAdmin } from "@/components/admin/tokens-admin";
import { assignableCompanies } from "@/server/auth/admin-companies";
import { listDisplayTokens } from "@/server/auth/display";
import { requireViewer } from "@/server/auth/session";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("admin.tokens");
  return { title: t("title") };
}

export default async function AdminTokensPage() {
  const viewer = await requireViewer({ roles: ["admin"] });
  const [tokens, companies] = await Promise.all([
    listDisplayTokens(viewer),
    assignableCompanies(viewer),
  ]);
  const t = await getTranslations("admin.tokens");
  return (
    <div className="flex flex-col gap-4">
      <div>
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <p className="text-slate-500">{t("intro")}</p>
      </div>
      <TokensAdmin tokens={tokens} companies={companies} />
    </div>
  );
}
