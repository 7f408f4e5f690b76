import { z } from "zod";
import { ZAgentStatus } from "@/lib/protocol/states";

/**
 * The wall display's data, shared by the server (settings, history, the wall API) and the
 * browser (the /wall page). Every payload is validated with these schemas on receipt.
 */

/** Per-company tile thresholds, in seconds (rest in minutes: get_status does not report an agent's rest_min). */
export const ZWallThresholds = z
  .object({
    ringAmberS: z.number().int().min(1).max(3600),
    ringRedS: z.number().int().min(1).max(3600),
    talkAmberS: z.number().int().min(1).max(86_400),
    talkRedS: z.number().int().min(1).max(86_400),
    /** REST longer than this many minutes is red when the agent's own rest_min is unknown. */
    restMin: z
      .number()
      .int()
      .min(1)
      .max(24 * 60),
  })
  .refine((t) => t.ringAmberS < t.ringRedS, { path: ["ringRedS"], message: "red_not_after_amber" })
  .refine((t) => t.talkAmberS < t.talkRedS, { path: ["talkRedS"], message: "red_not_after_amber" });
export type TWallThresholds = z.infer<typeof ZWallThresholds>;

/** The defaults issue 10 names: ring 20 s / 60 s, talk 10 min / 20 min; rest 15 min. */
export const DEFAULT_WALL_THRESHOLDS: TWallThresholds = {
  ringAmberS: 20,
  ringRedS: 60,
  talkAmberS: 600,
  talkRedS: 1200,
  restMin: 15,
};

/** Per display token: how its wall rotates and whether it may sound an alert. */
export const ZDisplaySettings = z.object({
  /** Seconds each page stays on screen; 0 = no rotation (the summary only). */
  rotateSeconds: z.number().int().min(0).max(3600),
  /** False: the wall never sounds an alert (and offers no "allow sound" button). */
  sound: z.boolean(),
});
export type TDisplaySettings = z.infer<typeof ZDisplaySettings>;
export const DEFAULT_DISPLAY_SETTINGS: TDisplaySettings = { rotateSeconds: 20, sound: true };

/** `GET /api/wall/<company>`: what the wall needs besides the live floor. */
export const ZWallConfig = z.object({
  companyCode: z.string(),
  /** The company's display name (its code when none is configured). */
  companyName: z.string(),
  thresholds: ZWallThresholds,
  /** The display token's settings; the defaults for a signed-in user. */
  display: ZDisplaySettings,
  /** Interventions requested today (Asia/Shanghai day) in this company. */
  interventionsToday: z.number().int().min(0),
  /** The server's version (a change means a new deployment: the wall reloads itself). */
  version: z.string(),
  serverTime: z.number(),
});
export type TWallConfig = z.infer<typeof ZWallConfig>;

/** One minute of a company's floor: agents by state (sampled once a minute), calls ringing and talking. */
export const ZHistoryPoint = z.object({
  /** Epoch ms of the minute's start. */
  minute: z.number().int(),
  counts: z.record(ZAgentStatus, z.number().int().min(0)),
  ringing: z.number().int().min(0),
  talking: z.number().int().min(0),
});
export type THistoryPoint = z.infer<typeof ZHistoryPoint>;

/** `GET /api/wall/<company>/history?hours=N` (1..24, default 8), oldest first. */
export const ZWallHistory = z.object({
  companyCode: z.string(),
  fromMinute: z.number().int(),
  points: z.array(ZHistoryPoint),
});
export type TWallHistory = z.infer<typeof ZWallHistory>;
