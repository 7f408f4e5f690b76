import { z } from "zod";
import { ZWallThresholds, type TWallThresholds } from "./types";

/** The `wall:thresholds` socket event's payload (lib/realtime/events.ts), checked on receipt. */
export const ZWallThresholdsEvent = z.object({
  companyCode: z.string(),
  thresholds: ZWallThresholds,
});

/**
 * The thresholds a wall applies, from two sources: the wall config (fetched every minute) and
 * the `wall:thresholds` event (at once, when an admin changes them). A config answer to a request
 * that left before the latest event may predate that change: it does not override the event.
 */
export class ThresholdsState {
  private value: TWallThresholds | undefined;
  private eventAt = Number.NEGATIVE_INFINITY;

  get current(): TWallThresholds | undefined {
    return this.value;
  }

  /** A config answer to a request sent at `requestedAt`; true if the thresholds changed. */
  fromConfig(thresholds: TWallThresholds, requestedAt: number): boolean {
    if (requestedAt < this.eventAt) return false;
    return this.set(thresholds);
  }

  /** A `wall:thresholds` event received at `at`; true if the thresholds changed. */
  fromEvent(thresholds: TWallThresholds, at: number): boolean {
    this.eventAt = at;
    return this.set(thresholds);
  }

  private set(thresholds: TWallThresholds): boolean {
    if (this.value && sameThresholds(this.value, thresholds)) return false;
    this.value = thresholds;
    return true;
  }
}

export function sameThresholds(a: TWallThresholds, b: TWallThresholds): boolean {
  return (
    a.ringAmberS === b.ringAmberS &&
    a.ringRedS === b.ringRedS &&
    a.talkAmberS === b.talkAmberS &&
    a.talkRedS === b.talkRedS &&
    a.restMin === b.restMin
  );
}
