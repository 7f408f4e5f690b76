import { lookup } from "@/server/registry";
import { guardRoute, USER_ROLES } from "@/server/auth/session";
import type { FloorHub } from "@/server/floor/hub";
import { FLOOR_HUB_KEY } from "@/server/floor/hub-key";
import { snapshotFor } from "@/server/floor/snapshot";

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
  const hub = lookup<FloorHub>(FLOOR_HUB_KEY);
  if (!hub) return Response.json({ code: "unavailable" }, { status: 503 });
  const result = snapshotFor(hub, viewer, company);
  if (!result.ok) return Response.json({ code: result.code }, { status: result.status });
  return Response.json(result.snapshot, { headers: { "cache-control": "no-store" } });
}
