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

/** setTimeout's longest delay; a later expiry is re-armed when it fires. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * A socket is authorized once, at its handshake: it must not outlive the session behind it.
 * At the session's expiry the socket is dropped; the browser's reconnect then finds no session.
 */
function cutAtExpiry(socket: Socket, viewer: TViewer): void {
  if (viewer.sessionExpiresAt === undefined) return;
  const expiresAt = viewer.sessionExpiresAt;
  let timer: NodeJS.Timeout;
  const arm = (remaining: number) => {
    timer = setTimeout(
      () => {
        const left = expiresAt - Date.now();
        if (left > 0) arm(left);
        else socket.disconnect(true);
      },
      Math.min(remaining, MAX_TIMER_MS),
    );
    timer.unref();
  };
  arm(expiresAt - Date.now());
  socket.once("disconnect", () => clearTimeout(timer));
}

/** The locale of a socket's handshake (for messages sent on it). */
export function socketLocale(socket: Socket): TLocale {
  return localeOf(fromNodeHeaders(socket.request.headers));
}
