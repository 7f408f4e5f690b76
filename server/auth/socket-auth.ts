import type { Socket } from "socket.io";
import { fromNodeHeaders } from "better-auth/node";
import { canAccessCompany, type TViewer } from "@/lib/auth/viewer";
import type { TAuthErrorCode } from "@/lib/auth/errors";
import type { TLocale } from "@/lib/i18n/config";
import { failure, localeOf } from "./messages";
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
        if (!viewer) {
          next(refusal("unauthenticated", socket));
          return;
        }
        (socket.data as { viewer?: TViewer }).viewer = viewer;
        next();
      },
      () => next(refusal("internal", socket)),
    );
  };
}

/** The locale of a socket's handshake (for messages sent on it). */
export function socketLocale(socket: Socket): TLocale {
  return localeOf(fromNodeHeaders(socket.request.headers));
}

/** May `viewer` join `companyCode`'s rooms (floor, wall)? The check every company-scoped event makes. */
export function authorizeCompany(
  viewer: TViewer,
  companyCode: string,
  locale: TLocale = "zh-CN",
): { ok: true } | { ok: false; code: "forbidden_company"; message: string } {
  if (canAccessCompany(viewer, companyCode)) return { ok: true };
  return {
    ok: false,
    code: "forbidden_company",
    message: failure("forbidden_company", locale).message,
  };
}
