import { getTranslations } from "next-intl/server";
import { CallsView } from "@/components/calls/calls-view";
import { CompanyPicker } from "@/components/floor/company-picker";
import { getViewer } from "@/server/auth/session";
import { floorPageContext } from "@/server/floor/page-context";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("calls");
  return { title: t("title") };
}

export default async function CallsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { companies, current } = await floorPageContext((await searchParams).company);
  const viewer = await getViewer();
  // Only what the intervention controls need to decide, not the whole session.
  const principal = viewer
    ? { kind: viewer.kind, role: viewer.role, companies: viewer.companies }
    : undefined;
  const t = await getTranslations();
  if (!current) return <p className="p-6 text-slate-500">{t("floor.errors.noCompany")}</p>;
  return (
    <div className="flex flex-col gap-3">
      <div className="flex items-center justify-between">
        <h1 className="text-lg font-semibold">{t("calls.title")}</h1>
        <CompanyPicker companies={companies} current={current} />
      </div>
      <CallsView key={current} companyCode={current} principal={principal} />
    </div>
  );
}
