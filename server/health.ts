import "server-only";
import { FLOOR_MOVING_WINDOW_MS, ZCompanyLinkHealth, type THealth } from "@/lib/health";
import { services } from "./services";

/** Builds the health report from the live services; undefined before the app has started. */
export function healthReport(now: number = Date.now()): THealth | undefined {
  const app = services();
  if (!app) return undefined;
  const info = app.process;
  const { cluster } = app;
  const cti = app.cti.status();
  // With several nodes, a company this node does not lead shows its leader's link.
  const links = cluster ? cti.companies.map((c) => cluster.companyLink(c)) : cti.companies;
  const floorMoving = links.some(
    (c) => c.lastAgentChangeAt !== undefined && now - c.lastAgentChangeAt < FLOOR_MOVING_WINDOW_MS,
  );
  // The schema keeps what the report promises and drops internals such as the monitor agent id.
  const companies = links.map((company) => ZCompanyLinkHealth.parse(company));
  const database = app.databaseProbe?.status();
  const up = companies.filter((c) => c.state === "up").length;
  const state = cluster
    ? up === companies.length
      ? "up"
      : up === 0
        ? "down"
        : "degraded"
    : cti.state;
  const redisDown = cluster !== undefined && !cluster.status().redis.reachable;
  // Without its database the process serves the live floor to open sockets, but no sign-in,
  // session check or audited action: degraded (down stays the CTI's verdict); so without Redis.
  const databaseDown = database?.state === "down";
  const linkStatus = state === "up" ? "ok" : state === "degraded" ? "degraded" : "down";
  return {
    status: linkStatus === "ok" && (redisDown || databaseDown) ? "degraded" : linkStatus,
    version: info.version,
    startedAt: info.startedAt,
    uptimeSeconds: Math.round((now - info.startedAt) / 1000),
    mode: info.mode,
    cti: { url: cti.url, state, floorMoving, companies },
    ...(database ? { database } : {}),
    ...(cluster ? { cluster: cluster.health(now) } : {}),
  };
}
