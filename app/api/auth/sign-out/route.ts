import { guardRoute } from "@/server/auth/session";
import { requestMeta } from "@/server/auth/request-meta";
import { signOut } from "@/server/auth/sign-in";

export const dynamic = "force-dynamic";

/** `POST` → ends the caller's session (user or wall display) and clears its cookie. */
export async function POST(request: Request) {
  const viewer = await guardRoute(request, { roles: ["viewer", "supervisor", "admin", "display"] });
  if (viewer instanceof Response) return viewer;
  const { setCookies } = await signOut(viewer, request.headers, requestMeta(request.headers));
  const response = Response.json({ ok: true }, { headers: { "cache-control": "no-store" } });
  for (const cookie of setCookies) response.headers.append("set-cookie", cookie);
  return response;
}
