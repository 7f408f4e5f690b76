import { getTranslations } from "next-intl/server";
import { UsersAdmin } from "@/components/admin/users-admin";
import { assignableCompanies } from "@/server/auth/admin-companies";
import { requireViewer } from "@/server/auth/session";
import { listUsers } from "@/server/auth/users";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("admin.users");
  return { title: t("title") };
}

export default async function AdminUsersPage() {
  const viewer = await requireViewer({ roles: ["admin"] });
  const [users, companies] = await Promise.all([listUsers(viewer), assignableCompanies(viewer)]);
  const t = await getTranslations("admin.users");
  return (
    <div className="flex flex-col gap-4">
      <div>
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <p className="text-slate-500">{t("intro")}</p>
      </div>
      <UsersAdmin
        users={users}
        companies={companies}
        canGrantAll={viewer.companies === "all"}
        selfId={viewer.id}
      />
    </div>
  );
}
