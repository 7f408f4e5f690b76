import { getTranslations } from "next-intl/server";
import { WallThresholdsAdmin } from "@/components/admin/wall-thresholds-admin";
import { canAccessCompany } from "@/lib/auth/viewer";
import { requireViewer } from "@/server/auth/session";
import { services } from "@/server/services";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("admin.wall");
  return { title: t("title") };
}

/** Per watched company: the thresholds that turn the wall's tiles amber and red. Admins only. */
export default async function AdminWallPage() {
  const viewer = await requireViewer({ roles: ["admin"] });
  const t = await getTranslations("admin.wall");
  const app = services();
  const companies = app
    ? app.floor.companies().filter((companyCode) => canAccessCompany(viewer, companyCode))
    : [];
  const rows = app
    ? await Promise.all(
        companies.map(async (companyCode) => ({
          companyCode,
          thresholds: await app.wall.thresholds(companyCode),
        })),
      )
    : [];
  return (
    <div className="flex flex-col gap-4">
      <div>
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <p className="text-slate-500">{t("intro")}</p>
      </div>
      {rows.length === 0 ? (
        <p className="text-slate-500">{t("empty")}</p>
      ) : (
        <WallThresholdsAdmin rows={rows} />
      )}
    </div>
  );
}
