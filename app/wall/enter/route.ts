import { displayCookieHeader } from "@/server/auth/cookies";
import { exchangeDisplayToken } from "@/server/auth/display";
import { requestMeta } from "@/server/auth/request-meta";

export const dynamic = "force-dynamic";

/**
 * `/wall?token=…` (rewritten here by proxy.ts): enrols this device, trading the display token for
 * its one display session cookie, and redirects to `/wall`, so the token leaves the address bar
 * and the history. A bad token lands on `/wall?error=token_invalid`, a token already enrolled on
 * `token_used`, too many attempts on `rate_limited`; all with no cookie.
 */
export async function GET(request: Request) {
  const url = new URL(request.url);
  const token = url.searchParams.get("token") ?? "";
  const result = await exchangeDisplayToken(token, requestMeta(request.headers));
  const target = new URL(result.ok ? "/wall" : `/wall?error=${result.code}`, url);
  const headers = new Headers({
    location: `${target.pathname}${target.search}`,
    "cache-control": "no-store",
    "referrer-policy": "no-referrer",
  });
  if (result.ok)
    headers.append(
      "set-cookie",
      displayCookieHeader(result.data.sessionSecret, result.data.maxAgeSeconds),
    );
  return new Response(null, { status: 303, headers });
}
