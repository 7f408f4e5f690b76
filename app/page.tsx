import { AppHeader } from "@/components/layout/app-header";
import { StatusPanel } from "@/components/status/status-panel";

export const dynamic = "force-dynamic";

export default function HomePage() {
  return (
    <>
      <AppHeader />
      <main className="mx-auto max-w-5xl p-6">
        <StatusPanel />
      </main>
    </>
  );
}
