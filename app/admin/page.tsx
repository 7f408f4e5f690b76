import { redirect } from "next/navigation";
import { requireViewer } from "@/server/auth/session";

export default async function AdminPage() {
  await requireViewer({ roles: ["admin"] });
  redirect("/admin/users");
}
