import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { statusForCode } from "@/lib/errors";
import type { TAuthErrorCode } from "@/lib/auth/errors";
import type { THttpErrorCode } from "@/lib/http-errors";
import { originAllowed } from "../auth/origin";
import { errorMessage } from "../errors";
import { localeOf } from "../locale";

export interface THttpGuardOptions {
  /** No request body may be larger (route handlers and server actions alike). */
  maxBodyBytes: number;
  allowedOrigins: readonly string[];
  /** PUBLIC_URL is https: browsers are told to keep to https (HSTS). */
  https: boolean;
}

const BODY_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Headers every response carries. The CSP here is the part that needs no per-page nonce:
 * no framing (click-jacking of the intervention buttons), no plugins, no foreign base or form
 * targets.
 */
export function applySecurityHeaders(res: ServerResponse, https: boolean): void {
  res.setHeader(
    "content-security-policy",
    "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'",
  );
  res.setHeader("x-content-type-options", "nosniff");
  res.setHeader("referrer-policy", "same-origin");
  res.setHeader("x-frame-options", "DENY");
  if (https) res.setHeader("strict-transport-security", "max-age=31536000; includeSubDomains");
}

/**
 * Refuses, before anything reads the body: a body without a stated length (411) or longer than
 * the cap (413); a body to `/api/` that is not JSON (415); a server action whose Origin is
 * missing, malformed or foreign (403; Next.js would answer a malformed one with a 500). Returns
 * true when it answered.
 */
export function refuseRequest(
  req: IncomingMessage,
  res: ServerResponse,
  options: THttpGuardOptions,
): boolean {
  const method = req.method ?? "GET";
  const isAction = req.headers["next-action"] !== undefined;
  if (isAction && !originAllowed(req.headers.origin, req.headers.host, options.allowedOrigins)) {
    return refuse(req, res, "origin_refused");
  }
  if (!BODY_METHODS.has(method)) return false;
  const length = req.headers["content-length"];
  if (length === undefined) {
    return req.headers["transfer-encoding"] === undefined
      ? false
      : refuse(req, res, "length_required");
  }
  const bytes = Number(length);
  if (!Number.isSafeInteger(bytes) || bytes > options.maxBodyBytes) {
    return refuse(req, res, "payload_too_large");
  }
  const path = (req.url ?? "").split("?")[0] ?? "";
  const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (bytes > 0 && path.startsWith("/api/") && type !== "application/json") {
    return refuse(req, res, "unsupported_media_type");
  }
  return false;
}

function refuse(
  req: IncomingMessage,
  res: ServerResponse,
  code: THttpErrorCode | Extract<TAuthErrorCode, "origin_refused">,
): true {
  const headers = new Headers();
  for (const name of ["cookie", "accept-language"] as const) {
    const value = req.headers[name];
    if (typeof value === "string") headers.set(name, value);
  }
  const body = JSON.stringify({ code, message: errorMessage(code, localeOf(headers)) });
  // The body is never read: close the connection rather than drain what the client still sends.
  res.writeHead(statusForCode(code), {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    connection: "close",
  });
  res.end(body, () => req.socket.destroy());
  return true;
}
