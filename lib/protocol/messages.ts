import { z } from "zod";
import { parseAgentStatus, parseSubStatus, ZAgentStatus, ZSubStatus } from "./states";

/**
 * Responses and pushes as the dashboard reads them. Frames reach these schemas already
 * normalized (normalize.ts: keys and msg_type trimmed, `""`/`null` dropped); the schemas add
 * the rest of protocol.md §2: numbers as strings or numbers, statuses as names or digits.
 */

/** A string or a finite number on the wire, read as a trimmed, non-empty string. */
const zWireString = z
  .union([z.string(), z.number().finite()])
  .transform((v) => String(v).trim())
  .pipe(z.string().min(1));

/** Epoch ms, as a number or a numeric string. */
const zEpochMs = z
  .union([z.number(), z.string().regex(/^\s*\d+\s*$/)])
  .transform((v) => Number(v))
  .pipe(z.number().int().positive());

const zStatus = z
  .unknown()
  .transform((v, ctx) => {
    const status = parseAgentStatus(v);
    if (status === undefined) {
      ctx.addIssue({ code: "custom", message: `unknown agent status ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    return status;
  })
  .pipe(ZAgentStatus);

/** Sub-states we do not know are dropped rather than failing the whole frame. */
const zOptionalSubStatus = z
  .unknown()
  .optional()
  .transform((v) => parseSubStatus(v))
  .pipe(ZSubStatus.optional());

/** `in_call_numbers`: an array of numbers/strings, or absent; junk entries are dropped, size bounded. */
const zNumbers = z
  .array(z.unknown())
  .max(64)
  .optional()
  .transform((list) =>
    (list ?? [])
      .filter(
        (n): n is string | number =>
          (typeof n === "string" || typeof n === "number") && String(n).trim() !== "",
      )
      .map((n) => String(n).trim().slice(0, 64)),
  );

const zId = zWireString.pipe(z.string().max(128));

/** `get_status` response (protocol.md §3) with the EXT fields `status_time` and `agent_name`. */
export const ZGetStatusResponse = z.object({
  msg_type: z.literal("get_status"),
  code: zWireString,
  msg: z.unknown().optional(),
  status: zStatus.optional(),
  sub_status: zOptionalSubStatus,
  in_call_numbers: zNumbers,
  uuid: zId.optional(),
  status_time: zEpochMs.optional(),
  agent_name: zWireString.pipe(z.string().max(128)).optional(),
});
export type TGetStatusResponse = z.infer<typeof ZGetStatusResponse>;

/**
 * `agent_change` (protocol.md §4): sent by the real server as msg_type `change_status` with a
 * req_id we never sent. EXT `timestamp`.
 */
export const ZAgentChangePush = z.object({
  msg_type: z.literal("change_status"),
  company_code: zId,
  agent_id: zId,
  ext_id: zId.optional(),
  agent_status: zStatus,
  last_agent_status: zStatus.optional().catch(undefined),
  sub_agent_status: zOptionalSubStatus,
  in_call_numbers: zNumbers,
  uuid: zId.optional(),
  reason: z.unknown().optional(),
  timestamp: zEpochMs.optional(),
});
export type TAgentChangePush = z.infer<typeof ZAgentChangePush>;

/** One agent of the roster (`POST /openapi/get-agent-list`, protocol.md §1). */
export const ZRosterAgent = z.object({
  agent_id: zId,
  agent_name: zWireString.pipe(z.string().max(128)).optional(),
  agent_status: z.unknown().optional(),
  ext_id: zId.optional(),
});

export const ZRosterSkill = z.object({
  skill_id: zId.optional(),
  skill_name: zWireString.pipe(z.string().max(128)).optional(),
  agents: z.object({
    list: z.array(ZRosterAgent).max(10_000),
    total_count: z.coerce.number().int().min(0).optional().catch(undefined),
    total_page: z.coerce.number().int().min(0).optional().catch(undefined),
    current_page: z.coerce.number().int().min(0).optional().catch(undefined),
  }),
});
export type TRosterSkill = z.infer<typeof ZRosterSkill>;

/**
 * The roster response: the skills list either bare, or in an envelope under `data` (with a
 * `code` string), which is how cloudcc's openapi answers.
 */
export const ZAgentListResponse = z.union([
  z.array(ZRosterSkill),
  z.object({
    code: zWireString.optional(),
    msg: z.unknown().optional(),
    data: z
      .union([
        z.array(ZRosterSkill),
        z.object({ list: z.array(ZRosterSkill) }).transform((d) => d.list),
      ])
      .optional(),
  }),
]);
export type TAgentListResponse = z.infer<typeof ZAgentListResponse>;
