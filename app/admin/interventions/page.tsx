import { getTranslations } from "next-intl/server";
import { InterventionSettingsAdmin } from "@/components/interventions/settings-admin";
import { assignableCompanies } from "@/server/auth/admin-companies";
import { requireViewer } from "@/server/auth/session";
import { services } from "@/server/services";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("interventions.admin");
  return { title: t("title") };
}

/** Per company: whether force hang-up and take over need a reason. Admins only. */
export default async function AdminInterventionsPage() {
  const viewer = await requireViewer({ roles: ["admin"] });
  const t = await getTranslations("interventions.admin");
  const app = services();
  const companies = await assignableCompanies(viewer);
  const rows = app
    ? await Promise.all(
        companies.map(async (companyCode) => ({
          companyCode,
          settings: await app.interventions.settings(companyCode),
        })),
      )
    : [];
  return (
    <div className="flex flex-col gap-4">
      <div>
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <p className="text-slate-500">{t("intro")}</p>
      </div>
      <InterventionSettingsAdmin rows={rows} />
    </div>
  );
}
