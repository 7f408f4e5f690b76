import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { timingSafeEqual } from "node:crypto";
import { metrics } from "@/server/metrics";
import { logger } from "@/server/log";

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, "") ?? "");
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * `GET /metrics` in Prometheus text format, served by the Node server itself (not a Next route)
 * so the registry the floor writes to is the one scraped. `{token}`: the scraper must send it as
 * a bearer token (the main port, with METRICS_TOKEN); `"open"`: no token (the separate
 * METRICS_PORT listener, on loopback by default). Returns false for any other request.
 */
export function handleMetrics(
  req: IncomingMessage,
  res: ServerResponse,
  access: { token: string } | "open",
): boolean {
  const path = (req.url ?? "").split("?")[0];
  if (path !== "/metrics") return false;
  if (req.method !== "GET") {
    res.writeHead(405, { allow: "GET" }).end();
    return true;
  }
  if (access !== "open" && !tokenMatches(req.headers.authorization, access.token)) {
    res.writeHead(401, { "www-authenticate": "Bearer" }).end();
    return true;
  }
  const { register } = metrics();
  register
    .metrics()
    .then((text) => {
      res.writeHead(200, { "content-type": register.contentType, "cache-control": "no-store" });
      res.end(text);
    })
    .catch((error: unknown) => {
      logger().error({ err: error }, "metrics scrape failed");
      res.writeHead(500).end();
    });
  return true;
}
