import "server-only";
import { z } from "zod";
import { ZFloorAgent, ZFloorCall, ZFloorDelta, ZFloorHeartbeat, ZSkill } from "@/lib/floor/types";
import { ZLinkState } from "@/lib/link-state";

/**
 * What nodes tell each other through Redis. Another node may run another version: every message
 * read is size-capped before it is parsed and validated here; what fails is dropped and counted,
 * never trusted. `v` changes when a message's meaning does; unknown kinds are dropped.
 */
export const CLUSTER_PROTOCOL = 1 as const;

/** A pub/sub message larger than this is dropped unread (a delta of every agent stays well under). */
export const MESSAGE_MAX_BYTES = 8 * 1024 * 1024;
/** A stored floor larger than this is refused (tens of thousands of agents fit). */
export const SNAPSHOT_MAX_BYTES = 64 * 1024 * 1024;
/** A node's record (its id, leases) larger than this is ignored. */
export const NODE_RECORD_MAX_BYTES = 64 * 1024;

const ZNodeId = z.string().min(1).max(64);
/** The lease's fencing number: it grows with every new leader of the company. */
const ZTerm = z.number().int().min(1);

const ZFrom = { v: z.literal(CLUSTER_PROTOCOL), node: ZNodeId, term: ZTerm };

/** On a company's channel: from its leader (deltas, heartbeats, a new stored floor) or to it. */
export const ZFloorMessage = z.discriminatedUnion("kind", [
  z.object({ ...ZFrom, kind: z.literal("delta"), delta: ZFloorDelta }),
  z.object({ ...ZFrom, kind: z.literal("heartbeat"), heartbeat: ZFloorHeartbeat }),
  /** The leader stored its floor at `seq` of `epoch` under the company's floor key. */
  z.object({
    ...ZFrom,
    kind: z.literal("stored"),
    epoch: z.string().max(64),
    seq: z.number().int().min(0),
  }),
  /** The leader gave its lease up (it stops): the others may take it now. */
  z.object({ ...ZFrom, kind: z.literal("released") }),
  /** A replica asks the leader to store its floor (it starts, or it found a gap). */
  z.object({ v: z.literal(CLUSTER_PROTOCOL), node: ZNodeId, kind: z.literal("want") }),
]);
export type TFloorMessage = z.infer<typeof ZFloorMessage>;

/** The floor a leader stores in Redis for replicas to start from. */
export const ZStoredFloor = z.object({
  v: z.literal(CLUSTER_PROTOCOL),
  node: ZNodeId,
  term: ZTerm,
  companyCode: z.string().max(64),
  epoch: z.string().max(64),
  seq: z.number().int().min(0),
  storedAt: z.number(),
  link: ZLinkState,
  skills: z.array(ZSkill),
  agents: z.array(ZFloorAgent),
  calls: z.array(ZFloorCall),
});
export type TStoredFloor = z.infer<typeof ZStoredFloor>;

/** A node's record, renewed with its heartbeat: what /api/health shows of every node. */
export const ZNodeRecord = z.object({
  v: z.literal(CLUSTER_PROTOCOL),
  node: ZNodeId,
  /** Tells a restarted node (same NODE_ID) from the process it replaces. */
  instance: z.string().max(64),
  version: z.string().max(128),
  startedAt: z.number(),
  at: z.number(),
  leases: z
    .array(
      z.object({
        companyCode: z.string().max(64),
        term: ZTerm,
        acquiredAt: z.number(),
        renewedAt: z.number(),
      }),
    )
    .max(10_000),
});
export type TNodeRecord = z.infer<typeof ZNodeRecord>;

export type TDecoded<T> = { ok: true; value: T } | { ok: false; reason: "too_large" | "invalid" };

/** Size cap, JSON, then the schema: what another node wrote is data, not code. */
export function decode<T>(
  raw: Buffer | string | null,
  schema: z.ZodType<T>,
  maxBytes: number,
): TDecoded<T> {
  if (raw === null) return { ok: false, reason: "invalid" };
  const bytes = typeof raw === "string" ? Buffer.byteLength(raw) : raw.length;
  if (bytes > maxBytes) return { ok: false, reason: "too_large" };
  let json: unknown;
  try {
    json = JSON.parse(typeof raw === "string" ? raw : raw.toString("utf8"));
  } catch {
    return { ok: false, reason: "invalid" };
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, reason: "invalid" };
}
