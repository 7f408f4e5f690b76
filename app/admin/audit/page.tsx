import { getTranslations } from "next-intl/server";
import { AuditPage } from "@/app/(dashboard)/audit/audit-page";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("audit");
  return { title: t("title") };
}

/** The same audit page inside the administration, for admins (the admin menu links here). */
export default async function AdminAuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  return <AuditPage basePath="/admin/audit" roles={["admin"]} searchParams={await searchParams} />;
}
