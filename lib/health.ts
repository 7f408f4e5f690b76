import { z } from "zod";

export const ZCompanyLinkHealth = z.object({
  companyCode: z.string(),
  state: z.enum(["connecting", "up", "down"]),
  since: z.number(),
  reason: z.string().optional(),
  reconnects: z.number(),
  malformedFrames: z.number(),
  agentChanges: z.number(),
  lastAgentChangeAt: z.number().optional(),
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
