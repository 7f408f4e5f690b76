import { z } from "zod";
import type { TFloorDelta, TFloorHeartbeat } from "@/lib/floor/types";
import type { TInterventionView, TSeatView } from "@/lib/interventions/types";
import type { TWallThresholds } from "@/lib/wall/types";

/**
 * The Socket.IO events of the live floor, shared by the gateway and the browser. Payloads
 * are validated with the zod schemas in lib/floor/types.ts on receipt.
 */
export const ZFloorJoin = z.object({ companyCode: z.string().trim().min(1).max(64) });
export type TFloorJoin = z.infer<typeof ZFloorJoin>;

export const JOIN_ERRORS = [
  "bad_request",
  "unauthenticated",
  "forbidden",
  "unknown_company",
] as const;
export type TJoinError = (typeof JOIN_ERRORS)[number];

export type TFloorJoinAck =
  { ok: true; epoch: string; seq: number; fullNumbers: boolean } | { ok: false; code: TJoinError };

export interface ServerToClientEvents {
  /** A coalesced batch of changes of one company. */
  "floor:delta": (delta: TFloorDelta) => void;
  /** Once a second per company and when the CTI link changes: epoch, last seq sent, link state. */
  "floor:heartbeat": (heartbeat: TFloorHeartbeat) => void;
  /** An intervention of the company moved to a new stage (to its supervisors and admins only). */
  "intervention:updated": (intervention: TInterventionView) => void;
  /** The signed-in supervisor's own seat changed (to that user's sockets only). */
  "seat:updated": (seat: TSeatView) => void;
  /** An admin changed the company's wall thresholds (to every socket in the company's floor rooms). */
  "wall:thresholds": (payload: { companyCode: string; thresholds: TWallThresholds }) => void;
}

export interface ClientToServerEvents {
  "floor:join": (payload: TFloorJoin, ack: (result: TFloorJoinAck) => void) => void;
  "floor:leave": (payload: TFloorJoin) => void;
}

/** Rooms of a company's floor: customer numbers in full, or masked. */
export function floorRoom(companyCode: string, fullNumbers: boolean): string {
  return `floor:${companyCode}:${fullNumbers ? "full" : "masked"}`;
}
