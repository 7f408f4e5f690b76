import { z } from "zod";
import { parseAgentStatus, ZStatusAction } from "./states";

/**
 * Requests of protocol.md §3 as they arrive after `normalizeRecord` (keys trimmed, `""` and
 * `null` dropped). §2: numbers come as strings or numbers, so every field is read liberally.
 */

/** A non-empty string that may arrive as a number. */
export const ZWireString = z
  .union([z.string(), z.number()])
  .transform((value) => String(value).trim())
  .pipe(z.string().min(1));

/** An integer that may arrive as a numeric string. */
export const ZWireInt = z
  .union([z.number().int(), z.string().regex(/^\s*-?\d+\s*$/)])
  .transform((value) => (typeof value === "number" ? value : Number.parseInt(value, 10)));

function zWireChoice<const T extends readonly number[]>(choices: T) {
  return ZWireInt.refine((value) => choices.includes(value), {
    message: `one of ${choices.join(", ")}`,
  });
}

/** The fields every request carries. `req_id` is optional: without it there is nothing to echo. */
export const ZRequestEnvelope = z.object({
  req_id: ZWireString.optional(),
  company_code: ZWireString,
  msg_type: z.string().trim().min(1),
  agent_id: ZWireString.optional(),
  ext_id: ZWireString.optional(),
});
export type TRequestEnvelope = z.infer<typeof ZRequestEnvelope>;

export const ZCheckinRequest = z.object({
  agent_id: ZWireString,
  ext_id: ZWireString.optional(),
  agent_pwd: ZWireString,
  agent_ip: ZWireString.optional(),
  start_status: z
    .union([z.string(), z.number()])
    .transform((value, ctx) => {
      const status = parseAgentStatus(value);
      if (status === "FREE" || status === "BUSY" || status === "REST") return status;
      ctx.addIssue({ code: "custom", message: "FREE, BUSY or REST" });
      return z.NEVER;
    })
    .optional(),
  os: ZWireString.optional(),
});
export type TCheckinRequest = z.infer<typeof ZCheckinRequest>;

export const ZCheckoutRequest = z.object({ agent_id: ZWireString.optional() });

export const ZPingRequest = z.object({});

export const ZGetStatusRequest = z.object({
  agent_id: ZWireString,
  ext_id: ZWireString.optional(),
});
export type TGetStatusRequest = z.infer<typeof ZGetStatusRequest>;

export const ZChangeStatusRequest = z.object({
  action: z
    .string()
    .transform((value) => value.trim().toUpperCase())
    .pipe(ZStatusAction),
  rest_min: ZWireInt.refine((value) => value >= 1 && value <= 24 * 60, {
    message: "1 to 1440 minutes",
  }).optional(),
  operated_agent_id: ZWireString.optional(),
  operated_ext_id: ZWireString.optional(),
});
export type TChangeStatusRequest = z.infer<typeof ZChangeStatusRequest>;

export const ZCallRequest = z.object({
  callee_number: ZWireString,
  /** 0 internal, 1 external, 2 conference. */
  out_line: zWireChoice([0, 1, 2] as const).optional(),
});
export type TCallRequest = z.infer<typeof ZCallRequest>;

export const ZHangupRequest = z.object({ uuid: ZWireString });

export const ZTransRequest = z
  .object({
    uuid: ZWireString,
    /** 1 blind, 2 consult, 3 cancel. */
    type: zWireChoice([1, 2, 3] as const),
    /** 1 agent, 2 skill, 3 IVR, 4 external, 5 survey. */
    trans_type: zWireChoice([1, 2, 3, 4, 5] as const).optional(),
    trans_number: ZWireString.optional(),
  })
  .superRefine((request, ctx) => {
    if (request.type === 3) return;
    if (request.trans_type === undefined)
      ctx.addIssue({ code: "custom", path: ["trans_type"], message: "required" });
    if (request.trans_number === undefined)
      ctx.addIssue({ code: "custom", path: ["trans_number"], message: "required" });
  });
export type TTransRequest = z.infer<typeof ZTransRequest>;

export const ZConsultRequest = z
  .object({
    uuid: ZWireString,
    /** 1 start, 2 cancel. */
    type: zWireChoice([1, 2] as const),
    /** 0 internal, 1 external. */
    consult_type: zWireChoice([0, 1] as const).optional(),
    consult_number: ZWireString.optional(),
  })
  .superRefine((request, ctx) => {
    if (request.type === 1 && request.consult_number === undefined) {
      ctx.addIssue({ code: "custom", path: ["consult_number"], message: "required" });
    }
  });
export type TConsultRequest = z.infer<typeof ZConsultRequest>;

export const ZThreeWayRequest = z.object({
  uuid: ZWireString,
  /** 0 internal, 1 external. */
  three_way_type: zWireChoice([0, 1] as const).optional(),
  three_way_number: ZWireString,
});
export type TThreeWayRequest = z.infer<typeof ZThreeWayRequest>;

/** interrupt_call, substitute, eavesdrop, whisper, force_call. */
export const ZSupervisorOpRequest = z.object({
  operated_agent_id: ZWireString,
  operated_ext_id: ZWireString.optional(),
});
export type TSupervisorOpRequest = z.infer<typeof ZSupervisorOpRequest>;

export const REQUEST_SCHEMAS = {
  checkin: ZCheckinRequest,
  checkout: ZCheckoutRequest,
  ping: ZPingRequest,
  get_status: ZGetStatusRequest,
  change_status: ZChangeStatusRequest,
  call: ZCallRequest,
  hangup: ZHangupRequest,
  trans: ZTransRequest,
  consult: ZConsultRequest,
  three_way: ZThreeWayRequest,
  interrupt_call: ZSupervisorOpRequest,
  substitute: ZSupervisorOpRequest,
  eavesdrop: ZSupervisorOpRequest,
  whisper: ZSupervisorOpRequest,
  force_call: ZSupervisorOpRequest,
} as const;

export type TRequestType = keyof typeof REQUEST_SCHEMAS;
export const REQUEST_TYPES = Object.keys(REQUEST_SCHEMAS) as TRequestType[];

export function isRequestType(value: string): value is TRequestType {
  return Object.hasOwn(REQUEST_SCHEMAS, value);
}

/** One line naming each bad field, for the `msg` of a 4002; `input` tells a missing field from a bad one. */
export function describeIssues(error: z.ZodError, input?: unknown): string {
  const record =
    input !== null && typeof input === "object" ? (input as Record<string, unknown>) : undefined;
  return error.issues
    .map((issue) => {
      const path = issue.path.join(".") || "request";
      const key = issue.path[0];
      const absent = record !== undefined && typeof key === "string" && record[key] === undefined;
      const missing =
        absent || (issue.code === "invalid_type" && issue.message.endsWith("received undefined"));
      return `${path}: ${missing ? "required" : issue.message}`;
    })
    .join("; ");
}
