import { getTranslations } from "next-intl/server";
import { AuditChainStatus } from "@/components/admin/audit-chain-status";
import { latestVerification } from "@/server/audit/verifications";
import { requireViewer } from "@/server/auth/session";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("admin.overview");
  return { title: t("title") };
}

/** The administration's front page: what needs an admin's eye (the audit chain's last check). */
export default async function AdminPage() {
  const viewer = await requireViewer({ roles: ["admin"] });
  const [verification, t] = await Promise.all([
    latestVerification(),
    getTranslations("admin.overview"),
  ]);
  return (
    <div className="flex flex-col gap-4">
      <div>
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <p className="text-slate-500">{t("intro")}</p>
      </div>
      <AuditChainStatus
        verification={verification}
        details={viewer.companies === "all"}
        now={new Date()}
      />
    </div>
  );
}
