import "server-only";
import { FLOOR_MOVING_WINDOW_MS, ZCompanyLinkHealth, type THealth } from "@/lib/health";
import { services } from "./services";

/** Builds the health report from the live services; undefined before the app has started. */
export function healthReport(now: number = Date.now()): THealth | undefined {
  const app = services();
  if (!app) return undefined;
  const info = app.process;
  const cti = app.cti.status();
  const floorMoving = cti.companies.some(
    (c) => c.lastAgentChangeAt !== undefined && now - c.lastAgentChangeAt < FLOOR_MOVING_WINDOW_MS,
  );
  // The schema keeps what the report promises and drops internals such as the monitor agent id.
  const companies = cti.companies.map((company) => ZCompanyLinkHealth.parse(company));
  const database = app.databaseProbe?.status();
  const ctiStatus = cti.state === "up" ? "ok" : cti.state === "degraded" ? "degraded" : "down";
  return {
    // Without its database the process serves the live floor to open sockets, but no sign-in,
    // session check or audited action: degraded (down stays the CTI's verdict).
    status: database?.state === "down" && ctiStatus === "ok" ? "degraded" : ctiStatus,
    version: info.version,
    startedAt: info.startedAt,
    uptimeSeconds: Math.round((now - info.startedAt) / 1000),
    mode: info.mode,
    cti: { url: cti.url, state: cti.state, floorMoving, companies },
    ...(database ? { database } : {}),
  };
}
