import { guardRoute } from "@/server/auth/session";

export const dynamic = "force-dynamic";

/** Who is signed in: `{viewer}` for a user or a wall display, 401 `{code, message}` otherwise. */
export async function GET(request: Request) {
  const viewer = await guardRoute(request, { roles: ["viewer", "supervisor", "admin", "display"] });
  if (viewer instanceof Response) return viewer;
  return Response.json({ viewer }, { headers: { "cache-control": "no-store" } });
}
