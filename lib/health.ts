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
});
export type THealth = z.infer<typeof ZHealth>;

export const FLOOR_MOVING_WINDOW_MS = 60_000;
