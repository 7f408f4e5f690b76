import type { TFloorAgent } from "@/lib/floor/types";
import type { TWallThresholds } from "./types";

/** How a wall tile (or one agent on it) stands against its thresholds. */
export const TILE_LEVELS = ["ok", "amber", "red"] as const;
export type TTileLevel = (typeof TILE_LEVELS)[number];

/** A duration at or beyond `redS` is red, at or beyond `amberS` amber. */
export function levelOf(ms: number | undefined, amberS: number, redS: number): TTileLevel {
  if (ms === undefined) return "ok";
  if (ms >= redS * 1000) return "red";
  if (ms >= amberS * 1000) return "amber";
  return "ok";
}

export function ringLevel(ms: number | undefined, t: TWallThresholds): TTileLevel {
  return levelOf(ms, t.ringAmberS, t.ringRedS);
}

export function talkLevel(ms: number | undefined, t: TWallThresholds): TTileLevel {
  return levelOf(ms, t.talkAmberS, t.talkRedS);
}

/** REST has one limit (get_status does not report the agent's own rest_min): red beyond it. */
export function restOver(ms: number, t: TWallThresholds): boolean {
  return ms >= t.restMin * 60_000;
}

/** A count that must be zero: any is red. */
export function countLevel(count: number): TTileLevel {
  return count > 0 ? "red" : "ok";
}

/** One agent's level on the wall: ringing, talking or resting too long. */
export function agentLevel(agent: TFloorAgent, serverNow: number, t: TWallThresholds): TTileLevel {
  const ms = serverNow - agent.statusSince;
  switch (agent.status) {
    case "RINGING":
      return ringLevel(ms, t);
    case "CALLING":
      return talkLevel(ms, t);
    case "REST":
      return restOver(ms, t) ? "red" : "ok";
    default:
      return "ok";
  }
}
