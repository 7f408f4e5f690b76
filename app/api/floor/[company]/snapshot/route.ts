import { guardRoute, refusalResponse, USER_ROLES } from "@/server/auth/session";
import { snapshotJsonFor } from "@/server/floor/snapshot";
import { localeOf } from "@/server/locale";
import { services } from "@/server/services";

export const dynamic = "force-dynamic";

/**
 * `{epoch, seq, agents, calls, ...}` of one company, customer numbers masked unless the viewer
 * may see them. Browsers buffer deltas while this loads and drop those with seq <= `seq`.
 */
export async function GET(
  request: Request,
  { params }: { params: Promise<{ company: string }> },
): Promise<Response> {
  const { company } = await params;
  const viewer = await guardRoute(request, { roles: [...USER_ROLES, "display"], company });
  if (viewer instanceof Response) return viewer;
  const app = services();
  if (!app) return refusalResponse("floor_unavailable", localeOf(request.headers));
  const result = await snapshotJsonFor(app.floor, viewer, company);
  if (!result.ok) return refusalResponse(result.code, localeOf(request.headers));
  return new Response(result.body, {
    headers: { "content-type": "application/json", "cache-control": "no-store" },
  });
}
