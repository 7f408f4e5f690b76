import { ZCompanyCode } from "@/lib/auth/schemas";
import { ZWallHistoryQuery } from "@/lib/wall/schemas";
import { guardRoute, refusalResponse, USER_ROLES } from "@/server/auth/session";
import { invalidInput } from "@/server/errors";
import { localeOf } from "@/server/locale";
import { services } from "@/server/services";

export const dynamic = "force-dynamic";

/**
 * `GET /api/wall/<company>/history?hours=N` (1..24, default 8) → ZWallHistory: the company's
 * recorded minutes, oldest first. Same access as /api/wall/<company>; a bad `hours` is 400
 * `invalid_input` naming the field.
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
  const hours = new URL(request.url).searchParams.getAll("hours");
  const raw = { hours: hours.length === 0 ? undefined : hours.length === 1 ? hours[0] : hours };
  const parsed = ZWallHistoryQuery.safeParse(raw);
  if (!parsed.success)
    return Response.json(invalidInput(parsed.error, raw, locale), {
      status: 400,
      headers: { "cache-control": "no-store" },
    });
  const history = await app.wall.history(company, parsed.data.hours);
  return Response.json(history, { headers: { "cache-control": "no-store" } });
}
