import { z } from "zod";

/** Agent states (protocol.md §5). */
export const AGENT_STATUSES = [
  "OFFLINE",
  "FREE",
  "BUSY",
  "REST",
  "RINGING",
  "CALLING",
  "ARRANGE",
] as const;
export const ZAgentStatus = z.enum(AGENT_STATUSES);
export type TAgentStatus = z.infer<typeof ZAgentStatus>;

/** Sub-states while CALLING. */
export const SUB_STATUSES = [
  "HOLD",
  "CONSULT",
  "TRANS",
  "THREE_WAY",
  "EAVESDROP",
  "WHISPER",
  "FORCE_CALL",
  "PLAY_RECORD",
] as const;
export const ZSubStatus = z.enum(SUB_STATUSES);
export type TSubStatus = z.infer<typeof ZSubStatus>;

/** Extension (phone) states, separate from agent states. */
export const EXT_STATUSES = ["OFFLINE", "ONLINE", "RINGING", "CALLING"] as const;
export const ZExtStatus = z.enum(EXT_STATUSES);
export type TExtStatus = z.infer<typeof ZExtStatus>;

/**
 * Old examples carry statuses as digits. The protocol page does not list the mapping; this is
 * the order of §5, which is the order the cloudcc SDK enumerates them in.
 */
const STATUS_BY_DIGIT: Record<string, TAgentStatus> = {
  "0": "OFFLINE",
  "1": "FREE",
  "2": "BUSY",
  "3": "REST",
  "4": "RINGING",
  "5": "CALLING",
  "6": "ARRANGE",
};

/** Accepts a status as a name (any case, stray spaces) or as a digit; undefined if unknown. */
export function parseAgentStatus(value: unknown): TAgentStatus | undefined {
  if (typeof value !== "string" && typeof value !== "number") return undefined;
  const text = String(value).trim().toUpperCase();
  if (text in STATUS_BY_DIGIT) return STATUS_BY_DIGIT[text];
  const parsed = ZAgentStatus.safeParse(text);
  return parsed.success ? parsed.data : undefined;
}

export function parseSubStatus(value: unknown): TSubStatus | undefined {
  if (typeof value !== "string") return undefined;
  const parsed = ZSubStatus.safeParse(value.trim().toUpperCase());
  return parsed.success ? parsed.data : undefined;
}

/** `change_status` actions (protocol.md §5). */
export const STATUS_ACTIONS = [
  "MAKE_FREE",
  "MAKE_BUSY",
  "MAKE_REST",
  "MAKE_FREE_AFTER_CALL_STOP",
  "MAKE_BUSY_AFTER_CALL_STOP",
  "MAKE_REST_AFTER_CALL_STOP",
  "CHECKOUT_AFTER_CALL_STOP",
  "FORCE_MAKE_BUSY",
  "FORCE_MAKE_FREE",
  "FORCE_CHECKOUT",
] as const;
export const ZStatusAction = z.enum(STATUS_ACTIONS);
export type TStatusAction = z.infer<typeof ZStatusAction>;

export const CALLBACK_ACTIONS = [
  "CALL",
  "CONSULT",
  "TRANS",
  "CONSULT_TO_TRANS",
  "THREE_WAY",
  "EAVESDROP",
  "WHISPER",
  "SUBSTITUTE",
  "FORCE_CALL",
  "INTERRUPT_CALL",
  "CHANGE_MEDIA",
  "EXT_UN_REG",
  "PREVIEW_OUT_CALL",
] as const;
export type TCallbackAction = (typeof CALLBACK_ACTIONS)[number];

export const CALLBACK_PHASES = ["INITIATE", "START_CALL", "END_CALL"] as const;
export type TCallbackPhase = (typeof CALLBACK_PHASES)[number];
