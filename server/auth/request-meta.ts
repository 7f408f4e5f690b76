import type { IncomingMessage } from "node:http";
import { authConfig } from "./config";

/** Set by server/index.ts on every request from the socket's address; a client's own value is overwritten. */
export const CLIENT_IP_HEADER = "x-floorwatch-client-ip";

/** Where a request came from, for the audit log and the sign-in rate limit. */
export interface TRequestMeta {
  ip: string | null;
  userAgent: string | null;
}

/** Stamps the client's address on the raw request before Next.js sees it. */
export function stampClientIp(req: IncomingMessage): void {
  const forwarded = req.headers["x-forwarded-for"];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
  const ip = authConfig().TRUST_PROXY && first ? first : req.socket.remoteAddress;
  if (ip) req.headers[CLIENT_IP_HEADER] = ip;
  else delete req.headers[CLIENT_IP_HEADER];
}

export function requestMeta(headers: Headers): TRequestMeta {
  return {
    ip: headers.get(CLIENT_IP_HEADER)?.slice(0, 64) ?? null,
    userAgent: headers.get("user-agent")?.slice(0, 512) ?? null,
  };
}
