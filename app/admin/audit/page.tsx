import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { AuditTable } from "@/components/admin/audit-table";
import { BUTTON_SECONDARY } from "@/components/auth/form-field";
import { Card } from "@/components/ui/card";
import { readAuditEvents } from "@/server/audit/log";
import { requireViewer } from "@/server/auth/session";

export const dynamic = "force-dynamic";

const PAGE_SIZE = 100;

export async function generateMetadata() {
  const t = await getTranslations("admin.audit");
  return { title: t("title") };
}

/** The whole audit log of the admin's companies (every company's for an all-companies admin). */
export default async function AdminAuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const viewer = await requireViewer({ roles: ["admin"] });
  const { before } = await searchParams;
  const beforeId =
    typeof before === "string" && /^\d{1,12}$/.test(before) ? Number(before) : undefined;
  const page = await readAuditEvents({
    companies: viewer.companies,
    limit: PAGE_SIZE,
    ...(beforeId ? { beforeId } : {}),
  });
  const t = await getTranslations("admin.audit");
  const last = page.events.at(-1);
  return (
    <div className="flex flex-col gap-4">
      <div>
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <p className="text-slate-500">{t("intro")}</p>
      </div>
      {page.invalid.length > 0 ? (
        <p role="alert" className="text-red-700">
          {t("invalid", { count: page.invalid.length })}
        </p>
      ) : null}
      <Card>
        <AuditTable events={page.events} />
      </Card>
      {last && page.events.length + page.invalid.length === PAGE_SIZE ? (
        <div>
          <Link href={`/admin/audit?before=${last.id}`} className={BUTTON_SECONDARY}>
            {t("older")}
          </Link>
        </div>
      ) : null}
    </div>
  );
}
