import "server-only";
import type { IncomingMessage } from "node:http";
import { fromNodeHeaders } from "better-auth/node";
import type { TViewer } from "@/lib/auth/viewer";
import { db } from "../db";
import { getAuth } from "./better-auth";
import { DISPLAY_COOKIE, readCookie } from "./cookies";
import { displayViewer } from "./display";
import { userViewer } from "./users";

/**
 * Who sent these request headers: the signed-in user (better-auth session cookie, checked
 * against the database), else the wall display (display session cookie), else nobody. The
 * user's role and companies are read fresh every time, so changes apply at once.
 */
export async function viewerFromHeaders(headers: Headers): Promise<TViewer | null> {
  const cookie = headers.get("cookie");
  if (!cookie) return null;
  const auth = await getAuth();
  const session = await auth.api.getSession({ headers, query: { disableCookieCache: true } });
  if (session) {
    const row = await db().user.findUnique({ where: { id: session.user.id } });
    const viewer = row ? userViewer(row) : null;
    return viewer && { ...viewer, sessionExpiresAt: new Date(session.session.expiresAt).getTime() };
  }
  const displaySecret = readCookie(cookie, DISPLAY_COOKIE);
  return displaySecret ? displayViewer(displaySecret) : null;
}

/** The same, from a raw Node request (Socket.IO handshake, any Node-side check). */
export function viewerFromRequest(req: IncomingMessage): Promise<TViewer | null> {
  return viewerFromHeaders(fromNodeHeaders(req.headers));
}
