import "server-only";
import { cache } from "react";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import type { TViewer } from "@/lib/auth/viewer";
import { accessRefusal, type TAccessRule } from "@/lib/auth/access";
import { statusForCode, type TErrorCode } from "@/lib/errors";
import { PATH_HEADER } from "@/lib/auth/http";
import { authConfig } from "./config";
import { failure } from "../errors";
import { localeOf } from "../locale";
import { originAllowed } from "./origin";
import { viewerFromHeaders } from "./viewer-lookup";

export { viewerFromRequest } from "./viewer-lookup";
export { accessRefusal, USER_ROLES, type TAccessRule } from "@/lib/auth/access";

/** The viewer of the current request (pages, layouts, actions, route handlers); once per request. */
export const getViewer = cache(async (): Promise<TViewer | null> =>
  viewerFromHeaders(await headers()),
);

/**
 * For pages: the viewer, or a redirect. Anonymous → /login (and back afterwards); a wall display
 * outside its wall → /wall; wrong role or company → /forbidden with the reason.
 */
export async function requireViewer(opts: TAccessRule = {}): Promise<TViewer> {
  const viewer = await getViewer();
  const refusal = accessRefusal(viewer, opts);
  if (!viewer || refusal === "unauthenticated") {
    const path = (await headers()).get(PATH_HEADER);
    redirect(path && path !== "/" ? `/login?next=${encodeURIComponent(path)}` : "/login");
  }
  if (refusal === null) return viewer;
  if (viewer.kind === "display") redirect("/wall");
  redirect(`/forbidden?code=${refusal}`);
}

/**
 * For route handlers: the viewer, or a JSON Response `{code, message}` (401/403). Requests that
 * change something (not GET/HEAD) must come from an allowed Origin.
 */
export async function guardRoute(
  request: Request,
  opts: TAccessRule = {},
): Promise<TViewer | Response> {
  const locale = localeOf(request.headers);
  if (request.method !== "GET" && request.method !== "HEAD" && !fromAllowedOrigin(request)) {
    return refusalResponse("origin_refused", locale);
  }
  const viewer = await viewerFromHeaders(request.headers);
  const refusal = accessRefusal(viewer, opts);
  if (refusal || !viewer) return refusalResponse(refusal ?? "unauthenticated", locale);
  return viewer;
}

/** Cookie-authenticated requests that change something must come from an allowed Origin. */
export function fromAllowedOrigin(request: Request): boolean {
  return originAllowed(
    request.headers.get("origin"),
    request.headers.get("host"),
    authConfig().allowedOrigins,
  );
}

export function refusalResponse(code: TErrorCode, locale: ReturnType<typeof localeOf>): Response {
  const { message } = failure(code, locale);
  return Response.json(
    { code, message },
    { status: statusForCode(code), headers: { "cache-control": "no-store" } },
  );
}
