import type { TFloorAgent, TFloorCall } from "@/lib/floor/types";
import { summarize, type TFloorSummary } from "@/lib/floor/view";
import { countLevel, restOver, ringLevel, talkLevel, type TTileLevel } from "./levels";
import type { TWallThresholds } from "./types";

/** The tiles that have thresholds, and so a level and an alert. */
export const ALERT_TILES = ["longestRing", "longestCall", "restOver", "stale"] as const;
export type TAlertTile = (typeof ALERT_TILES)[number];
export type TTileLevels = Record<TAlertTile, TTileLevel>;

export const OK_LEVELS: TTileLevels = {
  longestRing: "ok",
  longestCall: "ok",
  restOver: "ok",
  stale: "ok",
};

/** The floor summary plus what only the wall shows: agents on REST beyond the limit. */
export interface TWallSummary extends TFloorSummary {
  restOver: number;
}

export function wallSummary(
  agents: readonly TFloorAgent[],
  calls: readonly TFloorCall[],
  serverNow: number,
  t: TWallThresholds,
): TWallSummary {
  let over = 0;
  for (const agent of agents)
    if (agent.status === "REST" && restOver(serverNow - agent.statusSince, t)) over += 1;
  return { ...summarize(agents, calls), restOver: over };
}

/** Each alert tile's level at `serverNow` (server clock). */
export function tileLevels(
  summary: TWallSummary,
  serverNow: number,
  t: TWallThresholds,
): TTileLevels {
  const since = (start: number | undefined) =>
    start === undefined ? undefined : serverNow - start;
  return {
    longestRing: ringLevel(since(summary.longestRingSince), t),
    longestCall: talkLevel(since(summary.longestCallSince), t),
    restOver: countLevel(summary.restOver),
    stale: countLevel(summary.stale),
  };
}

export function sameLevels(a: TTileLevels, b: TTileLevels): boolean {
  return ALERT_TILES.every((tile) => a[tile] === b[tile]);
}

export function redTiles(levels: TTileLevels): TAlertTile[] {
  return ALERT_TILES.filter((tile) => levels[tile] === "red");
}
