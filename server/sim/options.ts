import { z } from "zod";

/** Everything that shapes a simulator instance; env vars (config.ts) map onto these. */
export const ZSimOptions = z.object({
  /** WebSocket + roster listen address. */
  host: z.string().min(1).default("127.0.0.1"),
  /** WebSocket + roster port; 0 picks an ephemeral one. */
  port: z.number().int().min(0).max(65535).default(25001),
  /** Control API port (always on 127.0.0.1); 0 picks an ephemeral one. */
  controlPort: z.number().int().min(0).max(65535).default(25002),
  seed: z.string().min(1).default("floorwatch"),
  companies: z
    .array(z.string().regex(/^\d+$/, "company codes are digits"))
    .min(1)
    .default(["90001", "90002"]),
  agentsPerCompany: z.number().int().min(1).max(100_000).default(300),
  /** New inbound calls per minute per company; 0 = a quiet floor where only clients and tests act. */
  callRatePerMinute: z.number().min(0).max(100_000).default(12),
  /** A channel silent this long is closed (protocol.md §1: 30 s). */
  silenceTimeoutMs: z.number().int().min(50).default(30_000),
  /** After-call work length; 0 turns ARRANGE off (hang-up then goes to BUSY). */
  arrangeSeconds: z.number().min(0).default(30),
  /** Length of one `rest_min` minute; tests shorten it. */
  restMinuteMs: z.number().int().min(1).default(60_000),
  /** Delay before a softphone (supervisor legs, client-driven agents) answers a ringing leg. */
  softphoneAnswerMs: z.number().int().min(0).default(1_500),
  /** Delay before an external party (customer, external number) answers an outbound leg. */
  customerAnswerMs: z.number().int().min(0).default(4_000),
  /** Share of outbound calls to external numbers that are never answered. */
  outboundFailRate: z.number().min(0).max(1).default(0.2),
  /** Simulated-time factor: 10 runs every delay ten times faster (soak benchmarks). */
  speed: z.number().positive().max(10_000).default(1),
  /** Calls in progress per simulator beyond which `call` answers 5000. */
  maxConcurrentCalls: z.number().int().min(0).default(50_000),
  /** Largest frame answered with 4002; a bigger one closes the socket with 1009. */
  maxFrameBytes: z
    .number()
    .int()
    .min(1024)
    .default(512 * 1024),
});

export type TSimOptions = z.infer<typeof ZSimOptions>;
export type TSimOptionsInput = z.input<typeof ZSimOptions>;

/** Fills defaults; throws a ZodError naming any bad option. */
export function resolveSimOptions(options: Partial<TSimOptions>): TSimOptions {
  return ZSimOptions.parse(options);
}
