/**
 * What bench:floor's child processes send over IPC, and what it reads of the simulator's control
 * API: one schema per message, parsed on receipt; the children type what they send with them.
 */
import { z } from "zod";

const ZCountMap = z.record(z.string(), z.number());
const ZNullable = z.number().nullable();

/** A bench account, handed to the clients process (BENCH_USERS) to sign in with. */
export const ZBenchUser = z.object({
  companyCode: z.string(),
  role: z.enum(["supervisor", "viewer"]),
  username: z.string(),
  password: z.string(),
});
export type TBenchUser = z.infer<typeof ZBenchUser>;

/** Any child, once it listens for commands. */
export const ZStarted = z.object({ started: z.literal(true) });

/** tests/bench/cti-proxy.ts: its listeners' ports by label, once they listen. */
export const ZProxyReady = z.object({
  ready: z.literal(true),
  ports: z.record(z.string(), z.number()),
});

/** One listener's counters (tests/bench/wire-counter.ts TWireCounts). */
export const ZWireCounts = z.object({
  channelsOpened: ZCountMap,
  channelsOpen: ZCountMap,
  httpRequests: ZCountMap,
  toCti: ZCountMap,
  fromCti: ZCountMap,
});
export type TWire = z.infer<typeof ZWireCounts>;

/** tests/bench/cti-proxy.ts → `{cmd: "counts"}`: every listener's counters since start. */
export const ZProxyCounts = z.object({ at: z.number(), counts: z.record(z.string(), ZWireCounts) });

/** tests/bench/floor-clients.ts → `{cmd: "add"}`: once every socket is joined (or a minute passed). */
export const ZClientsAdded = z.object({
  signInSeconds: z.number(),
  readySeconds: z.number(),
  clients: z.number(),
  connected: z.number(),
  joined: z.number(),
  signIns: z.number(),
  /** Distinct session cookies: one per socket. */
  sessions: z.number(),
  errors: z.array(z.string()),
});
export type TClientsAdded = z.infer<typeof ZClientsAdded>;

/** tests/bench/floor-clients.ts → `{cmd: "report"}`: the window since `{cmd: "reset"}`. */
export const ZClientsReport = z.object({
  clients: z.number(),
  connected: z.number(),
  joined: z.number(),
  disconnects: z.number(),
  errors: z.array(z.string()),
  deltas: z.number(),
  /** Deltas that failed ZFloorDelta on the sockets that validate (one per company and room). */
  invalidDeltas: z.number(),
  gaps: z.number(),
  overlaps: z.number(),
  /** Pushed status change → receipt, over every socket. */
  latency: z.object({
    samples: z.number(),
    p50: ZNullable,
    p99: ZNullable,
    max: ZNullable,
    socketsSampled: z.number(),
    samplesPerSocket: z.object({ min: ZNullable, median: ZNullable }),
    perSocketP99: z.object({ min: ZNullable, median: ZNullable, max: ZNullable }),
  }),
  loopDelayMs: z.object({ p50: z.number(), p99: z.number(), max: z.number() }),
  cpuPercentOfOneCore: z.number(),
});
export type TClientsReport = z.infer<typeof ZClientsReport>;

/** tests/bench/floor-naive.ts → `{cmd: "add"}`: viewers in all, and how many have a roster and a channel up. */
export const ZNaiveAdded = z.object({ viewers: z.number(), ready: z.number() });
export type TNaiveAdded = z.infer<typeof ZNaiveAdded>;

/** tests/bench/floor-naive.ts → `{cmd: "counts"}`: get_status answers its viewers got since start. */
export const ZNaiveCounts = z.object({
  at: z.number(),
  viewers: z.number(),
  up: z.number(),
  pollAnswers: z.number(),
});
export type TNaiveCounts = z.infer<typeof ZNaiveCounts>;

/** What bench:floor reads of the simulator's `GET /control/stats` (server/sim/stats.ts). */
export const ZSimStats = z.object({
  wire: z.object({
    open_channels: z.number(),
    connections: z.number(),
    requests_by_type: ZCountMap,
    pushes_by_type: ZCountMap,
  }),
});
export type TSimStats = z.infer<typeof ZSimStats>;
