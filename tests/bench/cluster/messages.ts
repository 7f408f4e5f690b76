/**
 * What bench:cluster's children send over IPC: one schema per message, parsed on receipt; the
 * children type what they send with them.
 */
import { z } from "zod";

export const ZStarted = z.object({ started: z.literal(true) });

export const ZClusterClientsAdded = z.object({
  clients: z.number(),
  live: z.number(),
  readySeconds: z.number(),
  errors: z.array(z.string()),
});
export type TClusterClientsAdded = z.infer<typeof ZClusterClientsAdded>;

export const ZClusterClientsReport = z.object({
  /** CPU time the process has used (µs). */
  cpuMicros: z.number(),
  clients: z.number(),
  connected: z.number(),
  live: z.number(),
  /** Per company: CTI change → receipt (ms) of every pushed status change. */
  latencies: z.record(z.string(), z.array(z.number())),
  /** Per socket: resyncs since the mark. */
  resyncsPerSocket: z.array(z.number()),
  /** The first sockets that resynced more than once: their company, and why each time. */
  resyncedMoreThanOnce: z.array(z.object({ companyCode: z.string(), why: z.array(z.string()) })),
  /** Per company: when the first delta of a new epoch arrived, and the first with a post-mark confirmation. */
  firstNewEpoch: z.record(
    z.string(),
    z.object({
      at: z.number(),
      confirmedAt: z.number().optional(),
      confirmedServerTime: z.number().optional(),
    }),
  ),
  /** This clients process's longest event-loop stall since the mark (its backlog). */
  loopDelayMaxSinceMarkMs: z.number().nullable(),
  errors: z.array(z.string()),
});
export type TClusterClientsReport = z.infer<typeof ZClusterClientsReport>;

export { ZProxyCounts, ZProxyReady } from "../floor/messages";
