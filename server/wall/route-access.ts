import "server-only";
import type { TViewer } from "@/lib/auth/viewer";
import { ZCompanyCode } from "@/lib/auth/schemas";
import type { TLocale } from "@/lib/i18n/config";
import { guardRoute, refusalResponse, USER_ROLES } from "../auth/session";
import { localeOf } from "../locale";
import { services, type TServices } from "../services";

/**
 * The access check of the wall's routes, like the floor's snapshot route: a signed-in user or a
 * display of the company, then a running app that watches that company. The refusal as a
 * response, or who asks, in which language, and the services.
 */
export async function wallRouteAccess(
  request: Request,
  company: string,
): Promise<Response | { viewer: TViewer; locale: TLocale; app: TServices }> {
  const viewer = await guardRoute(request, { roles: [...USER_ROLES, "display"], company });
  if (viewer instanceof Response) return viewer;
  const locale = localeOf(request.headers);
  const app = services();
  if (!app) return refusalResponse("floor_unavailable", locale);
  if (!ZCompanyCode.safeParse(company).success || !app.wall.watches(company))
    return refusalResponse("unknown_company", locale);
  return { viewer, locale, app };
}
