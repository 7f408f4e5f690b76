import "server-only";
import type { Socket } from "socket.io";
import { fromNodeHeaders } from "better-auth/node";
import type { TViewer } from "@/lib/auth/viewer";
import type { TAuthErrorCode } from "@/lib/auth/errors";
import type { TLocale } from "@/lib/i18n/config";
import { failure } from "../errors";
import { localeOf } from "../locale";
import { originAllowed } from "./origin";
import { viewerFromRequest } from "./viewer-lookup";

export type TSocketRefusal = Error & { data: { code: TAuthErrorCode; message: string } };

function refusal(code: TAuthErrorCode, socket: Socket): TSocketRefusal {
  const { message } = failure(code, socketLocale(socket));
  return Object.assign(new Error(message), { data: { code, message } });
}

/**
 * Socket.IO middleware: the handshake must come from an allowed Origin and carry a user session
 * or a display session. Sets `socket.data.viewer`; refuses with `err.data = {code, message}`.
 */
export function socketAuth(allowedOrigins: readonly string[]) {
  return (socket: Socket, next: (err?: Error) => void): void => {
    const { origin, host } = socket.handshake.headers;
    if (!originAllowed(origin, host, allowedOrigins)) {
      next(refusal("origin_refused", socket));
      return;
    }
    viewerFromRequest(socket.request).then(
      (viewer) => {
        if (!viewer || (viewer.sessionExpiresAt ?? Infinity) <= Date.now()) {
          next(refusal("unauthenticated", socket));
          return;
        }
        (socket.data as { viewer?: TViewer }).viewer = viewer;
        cutAtExpiry(socket, viewer);
        next();
      },
      () => next(refusal("internal", socket)),
    );
  };
}

/** Sockets are checked again at least this often, and at their session's expiry. */
export const SOCKET_RECHECK_MS = 60 * 60 * 1000;

/**
 * A socket is authorized at its handshake and must not outlive the session behind it. It is
 * checked again at the session's expiry, and at least hourly: the check renews a display
 * session that is in use (a wall left open for weeks keeps its session), and a session that has
 * ended or expired drops the socket; the browser's reconnect then finds no session.
 */
function cutAtExpiry(socket: Socket, viewer: TViewer): void {
  if (viewer.sessionExpiresAt === undefined) return;
  let timer: NodeJS.Timeout | undefined;
  const arm = (expiresAt: number) => {
    timer = setTimeout(recheck, Math.max(0, Math.min(expiresAt - Date.now(), SOCKET_RECHECK_MS)));
    timer.unref();
  };
  const recheck = () => {
    viewerFromRequest(socket.request).then(
      (current) => {
        if (!socket.connected) return;
        const expiresAt = current?.sessionExpiresAt;
        if (!current || expiresAt === undefined || expiresAt <= Date.now()) {
          socket.disconnect(true);
          return;
        }
        (socket.data as { viewer?: TViewer }).viewer = current;
        arm(expiresAt);
      },
      () => socket.disconnect(true),
    );
  };
  arm(viewer.sessionExpiresAt);
  socket.once("disconnect", () => clearTimeout(timer));
}

/** The locale of a socket's handshake (for messages sent on it). */
export function socketLocale(socket: Socket): TLocale {
  return localeOf(fromNodeHeaders(socket.request.headers));
}
