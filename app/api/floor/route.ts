import { lookup } from "@/server/registry";
import { guardRoute, USER_ROLES } from "@/server/auth/session";
import type { FloorHub } from "@/server/floor/hub";
import { FLOOR_HUB_KEY } from "@/server/floor/hub-key";
import { companiesFor } from "@/server/floor/snapshot";

export const dynamic = "force-dynamic";

/** The watched companies the viewer may see, with their CTI link state. */
export async function GET(request: Request): Promise<Response> {
  const viewer = await guardRoute(request, { roles: [...USER_ROLES, "display"] });
  if (viewer instanceof Response) return viewer;
  const hub = lookup<FloorHub>(FLOOR_HUB_KEY);
  if (!hub) return Response.json({ code: "unavailable" }, { status: 503 });
  return Response.json(companiesFor(hub, viewer), { headers: { "cache-control": "no-store" } });
}
