import { z } from "zod";

/**
 * Interventions: one supervisor operation on one call, sent on the supervisor's own CTI seat.
 * Shared by the server (pipeline, audit, socket events) and the browser (buttons, panel, audit
 * page).
 */
export const OPERATIONS = ["interrupt_call", "substitute"] as const;
export const ZOperation = z.enum(OPERATIONS);
export type TOperation = z.infer<typeof ZOperation>;

/** Where an intervention stands. The last four are final. */
export const STAGES = [
  "requested",
  "sent",
  "acked",
  "failed",
  "confirmed",
  "unconfirmed",
  "interrupted",
] as const;
export const ZStage = z.enum(STAGES);
export type TStage = z.infer<typeof ZStage>;
export const FINAL_STAGES: readonly TStage[] = [
  "failed",
  "confirmed",
  "unconfirmed",
  "interrupted",
];
export const ZOutcome = z.enum(["failed", "confirmed", "unconfirmed", "interrupted"]);
export type TOutcome = z.infer<typeof ZOutcome>;

export function isFinal(stage: TStage): boolean {
  return FINAL_STAGES.includes(stage);
}

export const REASON_MAX = 500;

/** What the confirm dialog sends; the idempotency key is made when the dialog opens. */
export const ZInterventionInput = z.object({
  companyCode: z.string().trim().min(1).max(32),
  targetAgentId: z.string().trim().min(1).max(64),
  /** The call the supervisor saw: the intervention is refused if the target is on another. */
  callUuid: z.string().trim().min(1).max(128),
  reason: z.string().trim().max(REASON_MAX).default(""),
  idempotencyKey: z.uuid(),
});
export type TInterventionInput = z.input<typeof ZInterventionInput>;

/** One line of an intervention's timeline. */
export const ZTimelineEntry = z.object({
  stage: z.enum([...STAGES, "phone"]),
  at: z.number(),
  /** ms since the previous step, where it says something (CTI answer, confirmation). */
  latencyMs: z.number().optional(),
  /** The CTI's code and message, or the phone event (callin, START_CALL, END_CALL). */
  code: z.string().optional(),
  detail: z.string().optional(),
});
export type TTimelineEntry = z.infer<typeof ZTimelineEntry>;

/** An intervention as supervisors see it live and as the action returns it. */
export const ZInterventionView = z.object({
  id: z.string(),
  companyCode: z.string(),
  operation: ZOperation,
  actorId: z.string(),
  actorName: z.string(),
  seatAgentId: z.string(),
  targetAgentId: z.string(),
  callUuid: z.string(),
  reason: z.string(),
  stage: ZStage,
  code: z.string().optional(),
  message: z.string().optional(),
  requestedAt: z.number(),
  updatedAt: z.number(),
  timeline: z.array(ZTimelineEntry),
});
export type TInterventionView = z.infer<typeof ZInterventionView>;

/** The states a supervisor may set their own seat's agent to from the header. */
export const ZSeatAgentStatus = z.enum(["FREE", "BUSY"]);

export const ZLinkSeatInput = z.object({
  /** The supervisor's CTI agent password: used to check in, kept in memory only. */
  password: z.string().min(1).max(128),
  /** Check in even though the agent is checked in elsewhere (that device is kicked off). */
  force: z.boolean().default(false),
});
export type TLinkSeatInput = z.input<typeof ZLinkSeatInput>;

export const ZSetSeatStatusInput = z.object({ status: ZSeatAgentStatus });

/** A supervisor's seat as the header shows it. */
export const ZSeatView = z.object({
  state: z.enum(["unlinked", "linking", "linked", "lost"]),
  since: z.number(),
  /** Why it is not linked: kicked_off, wrong_password, checkin_refused, cti_down, restart, unlinked. */
  reason: z.string().optional(),
  code: z.string().optional(),
  msg: z.string().optional(),
  agentId: z.string().optional(),
  extId: z.string().optional(),
  /** The seat agent's own state (FREE, BUSY, CALLING, ...), when known. */
  agentStatus: z.string().optional(),
});
export type TSeatView = z.infer<typeof ZSeatView>;

/** Per-company settings an admin changes. */
export const ZInterventionSettings = z.object({ reasonRequired: z.boolean() });
export type TInterventionSettings = z.infer<typeof ZInterventionSettings>;
