import { z } from "zod";
import { ZChannelStatus } from "@/lib/link-state";

export const ZCompanyLinkHealth = ZChannelStatus.extend({
  companyCode: z.string(),
  /** Agent changes the floor observed (from polls or pushes): the floor is moving. */
  agentChanges: z.number(),
  lastAgentChangeAt: z.number().optional(),
  /** Of those, how many arrived as pushes on the monitor channel (0 against a CTI that pushes only to each agent's own channel). */
  agentChangePushes: z.number(),
});

/** PostgreSQL's reachability (reported by PostgreSQL deployments only; SQLite is a local file). */
export const ZDatabaseHealth = z.object({
  dialect: z.literal("postgresql"),
  state: z.enum(["up", "down"]),
  /** Only for signed-in viewers: when the state began, the last check, its latency or failure. */
  since: z.number().optional(),
  checkedAt: z.number().optional(),
  latencyMs: z.number().optional(),
  reason: z.string().optional(),
});
export type TDatabaseHealth = z.infer<typeof ZDatabaseHealth>;

/** `GET /api/health`: the process and the CTI link, for operators, probes and the status page. */
export const ZHealth = z.object({
  status: z.enum(["ok", "degraded", "down"]),
  version: z.string(),
  startedAt: z.number(),
  uptimeSeconds: z.number(),
  mode: z.enum(["embedded-simulator", "external-cti"]),
  cti: z.object({
    /** Only for signed-in viewers. */
    url: z.string().optional(),
    state: z.enum(["up", "down", "degraded"]),
    /** True when some agent changed in the last minute: the floor is alive. */
    floorMoving: z.boolean(),
    /** The companies the caller may see; empty for anonymous callers. */
    companies: z.array(ZCompanyLinkHealth),
  }),
  /** PostgreSQL deployments: whether the database is reachable (down makes the status degraded). */
  database: ZDatabaseHealth.optional(),
});
export type THealth = z.infer<typeof ZHealth>;

export const FLOOR_MOVING_WINDOW_MS = 60_000;
