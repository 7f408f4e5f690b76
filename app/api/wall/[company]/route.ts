import { wallRouteAccess } from "@/server/wall/route-access";

export const dynamic = "force-dynamic";

/**
 * `GET /api/wall/<company>` → ZWallConfig (lib/wall/types.ts): thresholds, the display's
 * settings, interventions today, the server's version. For a signed-in user of the company or
 * a display of it; checked like the floor's snapshot route.
 */
export async function GET(
  request: Request,
  { params }: { params: Promise<{ company: string }> },
): Promise<Response> {
  const { company } = await params;
  const access = await wallRouteAccess(request, company);
  if (access instanceof Response) return access;
  const { viewer, app } = access;
  const config = await app.wall.config(viewer, company);
  return Response.json(config, { headers: { "cache-control": "no-store" } });
}
