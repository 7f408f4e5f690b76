import { guardRoute, refusalResponse } from "@/server/auth/session";
import { localeOf } from "@/server/locale";
import { services } from "@/server/services";

export const dynamic = "force-dynamic";

/** A company's intervention settings, its interventions in progress and the latest finished. */
export async function GET(
  request: Request,
  { params }: { params: Promise<{ company: string }> },
): Promise<Response> {
  const { company } = await params;
  const viewer = await guardRoute(request, { roles: ["supervisor", "admin"], company });
  if (viewer instanceof Response) return viewer;
  const app = services();
  if (!app || !app.floor.companies().includes(company)) {
    return refusalResponse(
      app ? "unknown_company" : "floor_unavailable",
      localeOf(request.headers),
    );
  }
  const [settings, interventions] = await Promise.all([
    app.interventions.settings(company),
    app.interventions.records.recent(company),
  ]);
  return Response.json({ settings, interventions }, { headers: { "cache-control": "no-store" } });
}
