import { FLOOR_MOVING_WINDOW_MS, ZCompanyLinkHealth, type THealth } from "@/lib/health";
import { lookup } from "./registry";
import type { CtiLink } from "./cti/link";
import { processInfo } from "./process-info";

export const CTI_LINK_KEY = "cti.link";

/** Builds the health report from the live services; undefined before the entry point installed them. */
export function healthReport(now: number = Date.now()): THealth | undefined {
  const info = processInfo();
  const link = lookup<CtiLink>(CTI_LINK_KEY);
  if (!info || !link) return undefined;
  const cti = link.status();
  const floorMoving = cti.companies.some(
    (c) => c.lastAgentChangeAt !== undefined && now - c.lastAgentChangeAt < FLOOR_MOVING_WINDOW_MS,
  );
  // The schema keeps what the report promises and drops internals such as the monitor agent id.
  const companies = cti.companies.map((company) => ZCompanyLinkHealth.parse(company));
  return {
    status: cti.state === "up" ? "ok" : cti.state === "degraded" ? "degraded" : "down",
    version: info.version,
    startedAt: info.startedAt,
    uptimeSeconds: Math.round((now - info.startedAt) / 1000),
    mode: info.mode,
    cti: { url: cti.url, state: cti.state, floorMoving, companies },
  };
}
