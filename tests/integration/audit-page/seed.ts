import { ZAuditEventInput, type TAuditEventInput } from "@/lib/audit/events";
import type { TOperation, TOutcome } from "@/lib/interventions/types";
import { db } from "@/server/db";

/**
 * Interventions as the pipeline records them: the Intervention row (its stage and outcome) and
 * its audit events, each valid against lib/audit/events.ts and carrying its interventionId
 * column. Written directly, with the times the test chooses.
 */
export interface TSeedIntervention {
  id: string;
  companyCode: string;
  operation: TOperation;
  actor: { id: string; name: string };
  targetAgentId: string;
  callUuid: string;
  reason: string;
  requestedAt: Date;
  /** null: still in progress (acked, no outcome yet). */
  outcome: TOutcome | null;
}

/** Milliseconds after the request at which each step is recorded. */
export const STEP_MS = {
  sent: 20,
  acked: 150,
  failed: 200,
  callin: 600,
  start_call: 900,
  confirmed: 1200,
  interrupted: 3000,
  unconfirmed: 10_000,
} as const;

type TEventBody = Pick<TAuditEventInput, "type" | "data">;

function steps(iv: TSeedIntervention): [number, TEventBody][] {
  const ref = { interventionId: iv.id };
  const list: [number, TEventBody][] = [
    [
      0,
      {
        type: "intervention.requested",
        data: {
          ...ref,
          operation: iv.operation,
          seatAgentId: `${iv.companyCode}_20004`,
          targetAgentId: iv.targetAgentId,
          callUuid: iv.callUuid,
          reason: iv.reason,
        },
      },
    ],
    [STEP_MS.sent, { type: "intervention.sent", data: ref }],
  ];
  if (iv.outcome === "failed") {
    list.push([
      STEP_MS.failed,
      {
        type: "intervention.failed",
        data: { ...ref, cause: "cti", code: "4016", msg: "坐席不在通话中", latencyMs: 180 },
      },
    ]);
    return list;
  }
  list.push([STEP_MS.acked, { type: "intervention.acked", data: { ...ref, latencyMs: 130 } }]);
  if (iv.outcome === null) return list;
  list.push(
    [STEP_MS.callin, { type: "intervention.phone", data: { ...ref, event: "callin" } }],
    [
      STEP_MS.start_call,
      { type: "intervention.phone", data: { ...ref, event: "start_call", uuid: `leg-${iv.id}` } },
    ],
  );
  if (iv.outcome === "confirmed")
    list.push([
      STEP_MS.confirmed,
      { type: "intervention.confirmed", data: { ...ref, latencyMs: 1050 } },
    ]);
  if (iv.outcome === "unconfirmed")
    list.push([
      STEP_MS.unconfirmed,
      { type: "intervention.unconfirmed", data: { ...ref, deadlineMs: 10_000 } },
    ]);
  if (iv.outcome === "interrupted")
    list.push([
      STEP_MS.interrupted,
      { type: "intervention.interrupted", data: { ...ref, lastStage: "acked" } },
    ]);
  return list;
}

export async function seedInterventions(interventions: TSeedIntervention[]): Promise<void> {
  await db().intervention.createMany({
    data: interventions.map((iv) => ({
      id: iv.id,
      companyCode: iv.companyCode,
      operation: iv.operation,
      actorId: iv.actor.id,
      actorName: iv.actor.name,
      seatAgentId: `${iv.companyCode}_20004`,
      targetAgentId: iv.targetAgentId,
      callUuid: iv.callUuid,
      reason: iv.reason,
      stage: iv.outcome ?? "acked",
      outcome: iv.outcome,
      code: iv.outcome === "failed" ? "4016" : null,
      message: iv.outcome === "failed" ? "坐席不在通话中" : null,
      idempotencyKey: `key-${iv.id}`,
      requestedAt: iv.requestedAt,
    })),
  });
  const events = interventions.flatMap((iv) =>
    steps(iv).map(([offset, body]) => ({
      at: new Date(iv.requestedAt.getTime() + offset),
      // A stage's type and data stay paired; spreading them loses that for the compiler.
      event: {
        ...body,
        actor: { kind: "user", id: iv.actor.id, name: iv.actor.name },
        companyCode: iv.companyCode,
        ip: "10.0.0.9",
        userAgent: "vitest",
      } as TAuditEventInput,
      interventionId: iv.id,
    })),
  );
  await seedEvents(events);
}

/** Audit events at chosen times (validated like appendAuditEvent does). */
export async function seedEvents(
  events: { at: Date; event: TAuditEventInput; interventionId?: string }[],
): Promise<void> {
  await db().auditEvent.createMany({
    data: events.map(({ at, event, interventionId }) => {
      const valid = ZAuditEventInput.parse(event);
      return {
        at,
        type: valid.type,
        actorKind: valid.actor.kind,
        actorId: valid.actor.id ?? null,
        actorName: valid.actor.name ?? null,
        companyCode: valid.companyCode,
        ip: valid.ip,
        userAgent: valid.userAgent,
        data: JSON.stringify(valid.data),
        interventionId: interventionId ?? null,
      };
    }),
  });
}
