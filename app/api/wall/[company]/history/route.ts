import { ZWallHistoryQuery } from "@/lib/wall/schemas";
import { invalidInput } from "@/server/errors";
import { wallRouteAccess } from "@/server/wall/route-access";

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
  const access = await wallRouteAccess(request, company);
  if (access instanceof Response) return access;
  const { locale, app } = access;
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
