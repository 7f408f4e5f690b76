import type { WireRecord } from "@/lib/protocol/normalize";
import type { TAgentStatus, TCallbackAction, TExtStatus, TSubStatus } from "@/lib/protocol/states";
import type { TTimer } from "./clock";

/** Who moves an agent: the traffic model, a real client checked in over the wire, a test scenario, or nobody. */
export type TDriver = "model" | "client" | "test" | null;
export type TRole = "agent" | "supervisor";

export type TAfterCallAction =
  | "MAKE_FREE_AFTER_CALL_STOP"
  | "MAKE_BUSY_AFTER_CALL_STOP"
  | "MAKE_REST_AFTER_CALL_STOP"
  | "CHECKOUT_AFTER_CALL_STOP";

/** A message endpoint: a WebSocket, or a virtual session of the traffic model or a test scenario. */
export interface TChannel {
  readonly companyCode: string;
  readonly agentId: string;
  readonly os: string;
  readonly kind: "ws" | "model" | "test";
  /** The agent checked in on this channel, if any. */
  session: TSimAgent | undefined;
  /** Set once another checkin of the same agent took the session away (kick_off). */
  kickedOff: boolean;
  /** `text` is the message already serialized, when a fan-out has done it once for everyone. */
  deliver(message: WireRecord, text?: string): void;
}

export interface TSkill {
  skillId: string;
  skillName: string;
}

export interface TCompany {
  companyCode: string;
  skills: TSkill[];
  agents: Map<string, TSimAgent>;
  /** Agents in roster order. */
  roster: TSimAgent[];
}

export interface TSimAgent {
  readonly companyCode: string;
  readonly agentId: string;
  readonly extId: string;
  readonly name: string;
  /** Demo floors only: every agent shares the seed's password. */
  readonly password: string;
  readonly role: TRole;
  readonly skills: readonly string[];
  status: TAgentStatus;
  subStatus: TSubStatus | undefined;
  statusTime: number;
  extStatus: TExtStatus;
  callStopStatus: TAfterCallAction | undefined;
  /** Where the agent goes back to after the call, ARRANGE or REST. */
  returnStatus: TAgentStatus;
  /** The call the agent takes part in, and its own leg uuid on it. */
  callUuid: string | undefined;
  legUuid: string | undefined;
  /** A consult call this agent started from its call. */
  consultUuid: string | undefined;
  inCallNumbers: string[];
  driver: TDriver;
  session: TChannel | undefined;
  /** The pending return from REST or ARRANGE. */
  statusTimer: TTimer | undefined;
}

/** Why an agent's leg is on a call; decides what answering it does. */
export type TLegPurpose =
  | "primary"
  | "consult"
  | "trans"
  | "three_way"
  | "substitute"
  | "eavesdrop"
  | "whisper"
  | "force_call";

export interface TLeg {
  agentId: string;
  uuid: string;
  purpose: TLegPurpose;
  answered: boolean;
  /** Monitoring legs (eavesdrop, whisper) do not keep a call alive. */
  monitor: boolean;
  /** The agent who created this leg (consult, trans, three_way, supervisor ops). */
  inviter: string | undefined;
  /** Callback action pushed to the leg's agent when its part of the call ends. */
  callbackAction: TCallbackAction | undefined;
  autoAnswer: boolean;
  answerTimer: TTimer | undefined;
}

export type TCallDirection = "in" | "out" | "internal" | "consult";

export interface TCall {
  uuid: string;
  companyCode: string;
  direction: TCallDirection;
  /** The customer (inbound caller or outbound callee), when there is one. */
  customerNumber: string | undefined;
  skillId: string | undefined;
  /** A consult call's main call. */
  parentUuid: string | undefined;
  legs: TLeg[];
  /** External numbers currently connected (the customer, external consult/three-way parties). */
  externals: string[];
  /** External numbers ringing, with their answer timers. */
  pendingExternals: Map<string, TTimer>;
  state: "queued" | "ringing" | "talking" | "ended";
  createdAt: number;
  answeredAt: number | undefined;
  /** The customer gives up waiting in the queue. */
  abandonTimer: TTimer | undefined;
}
