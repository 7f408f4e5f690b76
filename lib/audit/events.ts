import { z } from "zod";
import { ZRole } from "@/lib/auth/viewer";
import { REASON_MAX, ZInterventionSettings, ZOperation, ZStage } from "@/lib/interventions/types";
import { ZDisplaySettings, ZWallThresholds } from "@/lib/wall/types";

/**
 * The audit log's events: one schema per `type`, one discriminated union. Validated on write
 * (server/audit/log.ts appendAuditEvent) and again on read.
 */
export const ZAuditActor = z.object({
  kind: z.enum(["user", "display", "anonymous", "system"]),
  id: z.string().max(64).optional(),
  name: z.string().max(128).optional(),
});
export type TAuditActor = z.infer<typeof ZAuditActor>;

const ZUserRef = z.object({ userId: z.string(), username: z.string() });

const ZUserSettings = z.object({
  role: ZRole,
  companyCode: z.string(),
  allCompanies: z.boolean(),
  ctiAgentId: z.string().nullable(),
  ctiExtId: z.string().nullable(),
});

/** Every intervention event names its intervention (and the row's interventionId column). */
const ZInterventionRef = z.object({ interventionId: z.string() });

const ZTokenRef = z.object({ tokenId: z.string(), label: z.string(), companyCode: z.string() });

export const LOGIN_FAILURE_REASONS = [
  "invalid_credentials",
  "account_locked",
  "rate_limited",
  "disabled",
] as const;

export const ZAuditEventBody = z.discriminatedUnion("type", [
  z.object({ type: z.literal("login.succeeded"), data: ZUserRef }),
  z.object({
    type: z.literal("login.failed"),
    data: z.object({
      username: z.string().max(64),
      reason: z.enum(LOGIN_FAILURE_REASONS),
      userId: z.string().optional(),
    }),
  }),
  z.object({ type: z.literal("logout"), data: ZUserRef }),
  z.object({ type: z.literal("user.created"), data: ZUserRef.extend({ settings: ZUserSettings }) }),
  z.object({
    type: z.literal("user.updated"),
    data: ZUserRef.extend({ before: ZUserSettings, after: ZUserSettings }),
  }),
  z.object({ type: z.literal("user.disabled"), data: ZUserRef }),
  z.object({ type: z.literal("user.enabled"), data: ZUserRef }),
  z.object({ type: z.literal("user.password_reset"), data: ZUserRef }),
  z.object({
    type: z.literal("display_token.created"),
    data: ZTokenRef.extend({
      expiresAt: z.iso.datetime().nullable(),
      /** Absent on tokens created before walls had settings. */
      display: ZDisplaySettings.optional(),
    }),
  }),
  z.object({ type: z.literal("display_token.revoked"), data: ZTokenRef }),
  z.object({
    type: z.literal("display_token.updated"),
    data: ZTokenRef.extend({ before: ZDisplaySettings, after: ZDisplaySettings }),
  }),
  z.object({ type: z.literal("display_session.started"), data: ZTokenRef }),
  z.object({
    type: z.literal("display_session.refused"),
    data: z.object({ reason: z.enum(["token_invalid", "token_used", "rate_limited"]) }),
  }),
  z.object({ type: z.literal("display_session.ended"), data: ZTokenRef }),
  z.object({
    type: z.literal("intervention.requested"),
    data: ZInterventionRef.extend({
      operation: ZOperation,
      seatAgentId: z.string(),
      targetAgentId: z.string(),
      callUuid: z.string(),
      reason: z.string().max(REASON_MAX),
    }),
  }),
  z.object({ type: z.literal("intervention.sent"), data: ZInterventionRef }),
  z.object({
    type: z.literal("intervention.acked"),
    data: ZInterventionRef.extend({ latencyMs: z.number(), legUuid: z.string().optional() }),
  }),
  z.object({
    type: z.literal("intervention.failed"),
    data: ZInterventionRef.extend({
      /** cti: the CTI answered with a non-zero code; timeout / cti_down: it did not answer. */
      cause: z.enum(["cti", "timeout", "cti_down"]),
      code: z.string().max(32),
      msg: z.string().max(512),
      latencyMs: z.number().optional(),
    }),
  }),
  z.object({
    type: z.literal("intervention.phone"),
    data: ZInterventionRef.extend({
      /** What the supervisor's phone did: callin, then callback START_CALL / END_CALL. */
      event: z.enum(["callin", "start_call", "end_call"]),
      uuid: z.string().optional(),
    }),
  }),
  z.object({
    type: z.literal("intervention.confirmed"),
    data: ZInterventionRef.extend({ latencyMs: z.number() }),
  }),
  z.object({
    type: z.literal("intervention.unconfirmed"),
    data: ZInterventionRef.extend({ deadlineMs: z.number() }),
  }),
  z.object({
    type: z.literal("intervention.interrupted"),
    data: ZInterventionRef.extend({ lastStage: ZStage }),
  }),
  z.object({
    type: z.literal("intervention_settings.updated"),
    data: z.object({
      companyCode: z.string(),
      before: ZInterventionSettings,
      after: ZInterventionSettings,
    }),
  }),
  z.object({
    type: z.literal("wall_thresholds.updated"),
    data: z.object({
      companyCode: z.string(),
      before: ZWallThresholds,
      after: ZWallThresholds,
    }),
  }),
  z.object({
    type: z.literal("seat.linked"),
    data: z.object({ agentId: z.string(), extId: z.string().optional(), forced: z.boolean() }),
  }),
  z.object({
    type: z.literal("seat.unlinked"),
    data: z.object({ agentId: z.string(), reason: z.string().max(64) }),
  }),
  /** The audit log itself read out: a CSV export, with the view and the filters it asked for. */
  z.object({
    type: z.literal("audit.exported"),
    data: z.object({
      kind: z.enum(["interventions", "events"]),
      /** The export's query string as sent (filters), capped. */
      query: z.string().max(2048),
    }),
  }),
  /**
   * Attempts refused because their address was over its limit, in aggregate: `count` refusals
   * from `since` to this row's time (the first of a window at once, the rest when it closes).
   */
  z.object({
    type: z.literal("rate_limit.refused"),
    data: z.object({
      channel: z.enum(["sign_in", "display_link"]),
      count: z.number().int().min(1),
      since: z.iso.datetime(),
    }),
  }),
]);

/** What a caller appends: the event plus who did it, from where, for which company. */
export const ZAuditEventInput = z.intersection(
  ZAuditEventBody,
  z.object({
    actor: ZAuditActor,
    companyCode: z.string().max(32).nullable(),
    ip: z.string().max(64).nullable(),
    userAgent: z.string().max(512).nullable(),
  }),
);
export type TAuditEventInput = z.infer<typeof ZAuditEventInput>;

/** A stored event as read back. */
export const ZAuditEvent = z.intersection(
  ZAuditEventInput,
  z.object({ id: z.number().int(), at: z.date() }),
);
export type TAuditEvent = z.infer<typeof ZAuditEvent>;
export type TAuditEventType = TAuditEvent["type"];
export const AUDIT_EVENT_TYPES = ZAuditEventBody.options.map((option) => option.shape.type.value);
