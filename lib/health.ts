import { z } from "zod";
import { ZChannelStatus } from "@/lib/link-state";

export const ZCompanyLinkHealth = ZChannelStatus.extend({
  companyCode: z.string(),
  /** Agent changes the floor observed (from polls or pushes): the floor is moving. */
  agentChanges: z.number(),
  lastAgentChangeAt: z.number().optional(),
  /** Of those, how many arrived as pushes on the monitor channel (0 against a CTI that pushes only to each agent's own channel). */
  agentChangePushes: z.number(),
  /** Several nodes: the node that runs the company's monitor channel, if one does. */
  leader: z.string().optional(),
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

/** One node of several, as its record in Redis says (ages on that node's clock, but lastSeenMs). */
export const ZNodeHealth = z.object({
  nodeId: z.string(),
  /** This node: the one that answered. */
  self: z.boolean(),
  version: z.string(),
  startedAt: z.number(),
  /** Since the node last renewed its record (it expires after leaseMs). */
  lastSeenMs: z.number(),
  /** The companies it leads: how long it has held each lease and since its last renewal. */
  leases: z.array(
    z.object({
      companyCode: z.string(),
      term: z.number(),
      heldMs: z.number(),
      renewedMs: z.number(),
    }),
  ),
});
export type TNodeHealth = z.infer<typeof ZNodeHealth>;

/** Several nodes (REDIS_URL): this node, Redis as it sees it, and every live node. */
export const ZClusterHealth = z.object({
  nodeId: z.string(),
  redis: z.object({
    reachable: z.boolean(),
    /** Epoch ms reachability last changed. */
    since: z.number(),
    lastAnswerAt: z.number().optional(),
  }),
  leaseMs: z.number(),
  /** Every live node; empty for anonymous callers. */
  nodes: z.array(ZNodeHealth),
});
export type TClusterHealth = z.infer<typeof ZClusterHealth>;

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
  /** Present when several nodes run (REDIS_URL). */
  cluster: ZClusterHealth.optional(),
});
export type THealth = z.infer<typeof ZHealth>;

export const FLOOR_MOVING_WINDOW_MS = 60_000;
