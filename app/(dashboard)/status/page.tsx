import { StatusPanel } from "@/components/status/status-panel";
import { requireViewer } from "@/server/auth/session";

export const dynamic = "force-dynamic";

export default async function StatusPage() {
  await requireViewer();
  return (
    <div className="mx-auto max-w-5xl">
      <StatusPanel />
    </div>
  );
}
