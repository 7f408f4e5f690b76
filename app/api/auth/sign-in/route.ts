import { ZSignInInput } from "@/lib/auth/schemas";
import { requestMeta } from "@/server/auth/request-meta";
import { fromAllowedOrigin, refusalResponse } from "@/server/auth/session";
import { failure, invalidInput } from "@/server/errors";
import { localeOf } from "@/server/locale";
import { signIn } from "@/server/auth/sign-in";
import { statusForCode } from "@/lib/errors";

export const dynamic = "force-dynamic";

/**
 * `POST {username, password}` (JSON) → the session cookie, for scripts and tests; the login page
 * uses signInAction. Same rate limit, lockout and audit; an allowed Origin header is required.
 */
export async function POST(request: Request) {
  const locale = localeOf(request.headers);
  if (!fromAllowedOrigin(request)) return refusalResponse("origin_refused", locale);
  const body: unknown = await request.json().catch(() => undefined);
  const parsed = ZSignInInput.safeParse(body);
  if (!parsed.success)
    return Response.json(invalidInput(parsed.error, body, locale), { status: 400 });
  const result = await signIn(parsed.data, request.headers, requestMeta(request.headers));
  if (!result.ok)
    return Response.json(failure(result.code, locale), { status: statusForCode(result.code) });
  const response = Response.json(
    { ok: true, viewer: result.data.viewer },
    { headers: { "cache-control": "no-store" } },
  );
  for (const cookie of result.data.setCookies) response.headers.append("set-cookie", cookie);
  return response;
}
