import { ZCompanyCode } from "@/lib/auth/schemas";
import { guardRoute, refusalResponse, USER_ROLES } from "@/server/auth/session";
import { localeOf } from "@/server/locale";
import { services } from "@/server/services";

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
  const viewer = await guardRoute(request, { roles: [...USER_ROLES, "display"], company });
  if (viewer instanceof Response) return viewer;
  const locale = localeOf(request.headers);
  const app = services();
  if (!app) return refusalResponse("floor_unavailable", locale);
  if (!ZCompanyCode.safeParse(company).success || !app.wall.watches(company))
    return refusalResponse("unknown_company", locale);
  const config = await app.wall.config(viewer, company);
  return Response.json(config, { headers: { "cache-control": "no-store" } });
}
