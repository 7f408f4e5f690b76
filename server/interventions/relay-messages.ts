import "server-only";
import { z } from "zod";
import { ZViewer } from "@/lib/auth/viewer";
import { ZErrorCode } from "@/lib/errors";
import {
  ZInterventionInput,
  ZInterventionView,
  ZOperation,
  ZSeatAgentStatus,
  ZSeatView,
} from "@/lib/interventions/types";

/**
 * What nodes say to each other about seats, through Redis: a request to the node that holds a
 * supervisor's seat and its reply. Another node may run another version, so every message is
 * size-capped and validated on receipt; a request this node does not understand gets an
 * "unsupported" reply rather than silence.
 */
export const RELAY_MESSAGE_MAX_CHARS = 64 * 1024;
export const RELAY_VERSION = 1;

const ZNodeId = z.string().regex(/^[\w.-]{1,64}$/);
const ZMeta = z.object({
  ip: z.string().max(64).nullable(),
  userAgent: z.string().max(512).nullable(),
});
const ZOwnerId = z.string().min(1).max(128);

export const ZRelayRequest = z.discriminatedUnion("kind", [
  /** Run an intervention on the seat of `viewer` (its idempotency key was claimed by the sender). */
  z.object({
    kind: z.literal("intervention"),
    operation: ZOperation,
    viewer: ZViewer,
    input: ZInterventionInput,
    meta: ZMeta,
  }),
  z.object({ kind: z.literal("seat-status"), ownerId: ZOwnerId, status: ZSeatAgentStatus }),
  z.object({
    kind: z.literal("seat-unlink"),
    ownerId: ZOwnerId,
    meta: ZMeta,
    reason: z.string().max(64),
  }),
]);
export type TRelayRequest = z.infer<typeof ZRelayRequest>;

function serviceResult<T extends z.ZodType>(data: T) {
  return z.union([
    z.object({ ok: z.literal(true), data }),
    z.object({
      ok: z.literal(false),
      code: ZErrorCode,
      values: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    }),
  ]);
}

/** An intervention's answer, as the action returns it (also what an idempotency key stores). */
export const ZInterventionResult = serviceResult(ZInterventionView);
export const ZSeatResult = serviceResult(ZSeatView);

/** The answer to each kind of request. */
export const RELAY_REPLIES = {
  intervention: z.object({ result: ZInterventionResult, recorded: z.boolean() }),
  "seat-status": ZSeatResult,
  "seat-unlink": ZSeatResult,
} as const satisfies Record<TRelayRequest["kind"], z.ZodType>;
export type TRelayReply<K extends TRelayRequest["kind"]> = z.infer<(typeof RELAY_REPLIES)[K]>;

/** The envelope every message travels in; `body` is checked by kind after this. */
export const ZRelayEnvelope = z.discriminatedUnion("type", [
  z.object({
    v: z.number().int(),
    type: z.literal("request"),
    id: z.uuid(),
    from: ZNodeId,
    body: z.unknown(),
  }),
  z.object({
    v: z.number().int(),
    type: z.literal("reply"),
    id: z.uuid(),
    /**
     * `unsupported`: the request was not understood (another version); `error`: handling it
     * failed unexpectedly (logged on that node). Either way the sender stops waiting.
     */
    status: z.enum(["ok", "unsupported", "error"]),
    body: z.unknown(),
  }),
]);
export type TRelayEnvelope = z.infer<typeof ZRelayEnvelope>;
