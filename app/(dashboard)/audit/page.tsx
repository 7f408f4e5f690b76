import { getTranslations } from "next-intl/server";
import { AUDIT_ROLES } from "@/lib/audit/filters";
import { AuditPage } from "./audit-page";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("audit");
  return { title: t("title") };
}

/** Interventions and sign-in/admin events of the reader's companies: supervisors and admins. */
export default async function DashboardAuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  return <AuditPage basePath="/audit" roles={AUDIT_ROLES} searchParams={await searchParams} />;
}
