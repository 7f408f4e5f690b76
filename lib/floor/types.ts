import { z } from "zod";
import { ZLinkState } from "@/lib/link-state";
import { ZAgentStatus, ZSubStatus } from "@/lib/protocol/states";

/** How the floor learnt an agent's current content. */
export const ZObservationSource = z.enum(["roster", "poll", "push"]);
export type TObservationSource = z.infer<typeof ZObservationSource>;

/** One agent on the floor, as the store keeps it and the browser shows it. */
export const ZFloorAgent = z.object({
  agentId: z.string(),
  name: z.string(),
  extId: z.string(),
  /** Skill ids (names are in the snapshot's `skills`). */
  skills: z.array(z.string()),
  status: ZAgentStatus,
  subStatus: ZSubStatus.optional(),
  /** Epoch ms the current status began (CTI clock when the CTI says, else when first seen). */
  statusSince: z.number(),
  /** The agent's leg uuid while RINGING or CALLING. */
  uuid: z.string().optional(),
  /** Every number in the agent's call: agent/extension ids in clear, customer numbers masked per viewer. */
  numbers: z.array(z.string()),
  /** Epoch ms the CTI last confirmed this agent's content (poll answer or push). */
  confirmedAt: z.number(),
  /** True once confirmedAt is older than twice the poll interval: never show as live. */
  stale: z.boolean(),
  /** Where the current content came from. */
  via: ZObservationSource,
});
export type TFloorAgent = z.infer<typeof ZFloorAgent>;

export const CALL_STATES = ["ringing", "talking", "hold", "consult", "three_way"] as const;
export const ZCallState = z.enum(CALL_STATES);
export type TCallState = z.infer<typeof ZCallState>;

/** An active call, derived from the agents that carry its uuid. */
export const ZFloorCall = z.object({
  uuid: z.string(),
  agentIds: z.array(z.string()).min(1),
  /** The first external number on the call, masked per viewer. */
  customerNumber: z.string().optional(),
  state: ZCallState,
  /** Epoch ms the call reached its first agent. */
  startedAt: z.number(),
  /** Epoch ms an agent first talked on it. */
  answeredAt: z.number().optional(),
});
export type TFloorCall = z.infer<typeof ZFloorCall>;

export const ZSkill = z.object({ skillId: z.string(), skillName: z.string() });
export type TSkill = z.infer<typeof ZSkill>;

export { ZLinkState, type TLinkState } from "@/lib/link-state";

/** `GET /api/floor/<company>/snapshot`: the whole floor of one company at `seq`. */
export const ZFloorSnapshot = z.object({
  companyCode: z.string(),
  epoch: z.string(),
  seq: z.number().int().min(0),
  serverTime: z.number(),
  pollIntervalMs: z.number().int().positive(),
  link: ZLinkState,
  skills: z.array(ZSkill),
  agents: z.array(ZFloorAgent),
  calls: z.array(ZFloorCall),
});
export type TFloorSnapshot = z.infer<typeof ZFloorSnapshot>;

/**
 * One coalesced batch of changes of one company: every agent and call that changed in
 * (fromSeq..toSeq], each in its latest state. State-based, so applying it twice is harmless.
 */
export const ZFloorDelta = z.object({
  companyCode: z.string(),
  epoch: z.string(),
  fromSeq: z.number().int().min(1),
  toSeq: z.number().int().min(1),
  serverTime: z.number(),
  agents: z.array(ZFloorAgent),
  removedAgents: z.array(z.string()),
  calls: z.array(ZFloorCall),
  removedCalls: z.array(z.string()),
});
export type TFloorDelta = z.infer<typeof ZFloorDelta>;

/** Sent every second per company and at once when the CTI link changes. `seq` is the last one sent. */
export const ZFloorHeartbeat = z.object({
  companyCode: z.string(),
  epoch: z.string(),
  seq: z.number().int().min(0),
  serverTime: z.number(),
  link: ZLinkState,
});
export type TFloorHeartbeat = z.infer<typeof ZFloorHeartbeat>;
