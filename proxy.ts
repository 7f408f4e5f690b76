import { NextResponse, type NextRequest } from "next/server";
import { DISPLAY_COOKIE, PATH_HEADER, SESSION_COOKIE } from "@/lib/auth/http";

/** Pages anyone may open (the wall page explains a bad display link). Everything else needs a session cookie. */
const PUBLIC_PATHS = ["/login", "/logout", "/forbidden", "/wall"];

/**
 * First line only: anonymous visitors go to /login before any page renders, and `/wall?token=…`
 * is handed to the token exchange. Pages, route handlers, actions and the socket still check the
 * session, role and company themselves: a cookie being present proves nothing here.
 */
export function proxy(request: NextRequest) {
  const { pathname, searchParams, search } = request.nextUrl;
  if (pathname === "/wall" && searchParams.has("token")) {
    return NextResponse.rewrite(new URL(`/wall/enter${search}`, request.url));
  }
  const cookies = request.cookies;
  const hasSession =
    cookies.has(SESSION_COOKIE) ||
    cookies.has(`__Secure-${SESSION_COOKIE}`) ||
    cookies.has(DISPLAY_COOKIE);
  if (!hasSession && !PUBLIC_PATHS.some((p) => pathname === p || pathname.startsWith(`${p}/`))) {
    const login = new URL("/login", request.url);
    if (pathname !== "/") login.searchParams.set("next", `${pathname}${search}`);
    return NextResponse.redirect(login);
  }
  const headers = new Headers(request.headers);
  headers.set(PATH_HEADER, `${pathname}${search}`);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  // Pages only: API routes answer 401 JSON themselves, assets are public.
  matcher: ["/((?!api/|_next/|favicon\\.ico|.*\\.(?:png|svg|ico|jpg|css|js|woff2?)$).*)"],
};
