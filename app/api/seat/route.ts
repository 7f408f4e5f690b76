import { guardRoute, refusalResponse } from "@/server/auth/session";
import { localeOf } from "@/server/locale";
import { services } from "@/server/services";

export const dynamic = "force-dynamic";

/** The signed-in supervisor's (or admin's) seat, on whichever node holds it, as the header shows it. */
export async function GET(request: Request): Promise<Response> {
  const viewer = await guardRoute(request, { roles: ["supervisor", "admin"] });
  if (viewer instanceof Response) return viewer;
  const app = services();
  if (!app) return refusalResponse("floor_unavailable", localeOf(request.headers));
  return Response.json(await app.interventions.seats.current(viewer.id), {
    headers: { "cache-control": "no-store" },
  });
}
