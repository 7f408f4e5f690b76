import { z } from "zod";

/**
 * The state of one CTI channel (a company's monitor channel, a supervisor's seat): the one
 * schema behind the floor's banner, the snapshot, the heartbeat and the health report.
 */
export const ZLinkStateName = z.enum(["connecting", "up", "down"]);
export type TLinkStateName = z.infer<typeof ZLinkStateName>;

export const ZLinkState = z.object({
  state: ZLinkStateName,
  /** Epoch ms the current state began. */
  since: z.number(),
  /** Why the channel is not up (close code and reason, error message), if it is not. */
  reason: z.string().optional(),
});
export type TLinkState = z.infer<typeof ZLinkState>;

/** A channel's state with its counters, as the channel reports it. */
export const ZChannelStatus = ZLinkState.extend({
  reconnects: z.number().int(),
  malformedFrames: z.number().int(),
});
export type TChannelStatus = z.infer<typeof ZChannelStatus>;

/** Only what a browser needs of a channel's status. */
export function linkStateOf(status: TLinkState): TLinkState {
  const link: TLinkState = { state: status.state, since: status.since };
  if (status.reason !== undefined) link.reason = status.reason;
  return link;
}
