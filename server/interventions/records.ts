import "server-only";
import type { PrismaClient } from "@/generated/prisma/client";
import type { TAuditActor, TAuditEventInput } from "@/lib/audit/events";
import { interventionView, type TInterventionFields } from "@/lib/interventions/view";
import {
  isFinal,
  ZOperation,
  ZStage,
  type TInterventionView,
  type TStage,
  type TTimelineEntry,
} from "@/lib/interventions/types";
import type { TRequestMeta } from "../auth/request-meta";
import { appendAuditEvent } from "../audit/log";

/** What an intervention's events carry besides their data: who, where from, which company. */
export interface TInterventionContext {
  id: string;
  companyCode: string;
  actor: TAuditActor;
  meta: TRequestMeta;
}

export interface TNewIntervention extends TInterventionFields {
  reason: string;
  idempotencyKey: string;
}

type TStageEvent = Extract<TAuditEventInput, { type: `intervention.${string}` }>;
type TStageBody = Pick<TStageEvent, "type" | "data">;

/**
 * The durable record of interventions: the Intervention row (where it stands, for filters and the
 * live panel) and its audit events (the history), written in one transaction each time. A write
 * that fails throws: the caller must not go on as if it was recorded.
 */
export class InterventionRecords {
  /** `nodeId`: this node's id, written on every intervention it runs. */
  constructor(
    private readonly db: PrismaClient,
    private readonly nodeId?: string,
  ) {}

  /** The row and its REQUESTED event, before anything is sent. */
  async create(intervention: TNewIntervention, ctx: TInterventionContext): Promise<Date> {
    const { id, operation, seatAgentId, targetAgentId, callUuid, reason } = intervention;
    return this.db.$transaction(async (tx) => {
      const row = await tx.intervention.create({
        data: { ...intervention, stage: "requested", nodeId: this.nodeId ?? null },
        select: { requestedAt: true },
      });
      await appendAuditEvent(
        event(ctx, {
          type: "intervention.requested",
          data: { interventionId: id, operation, seatAgentId, targetAgentId, callUuid, reason },
        }),
        tx,
      );
      return row.requestedAt;
    });
  }

  /**
   * Appends a stage's event; moves the row to `stage` when given (phone events do not). A row
   * that already has an outcome keeps it: with several nodes a survivor may have ended it
   * INTERRUPTED while its own node was stalled past its lease; the event is still recorded.
   */
  async advance(
    ctx: TInterventionContext,
    body: TStageBody,
    stage?: TStage,
    failure?: { code: string; message: string },
  ): Promise<void> {
    await this.db.$transaction(async (tx) => {
      if (stage) {
        await tx.intervention.updateMany({
          where: { id: ctx.id, outcome: null },
          data: {
            stage,
            ...(isFinal(stage) ? { outcome: stage } : {}),
            ...(failure ? { code: failure.code, message: failure.message } : {}),
          },
        });
      }
      await appendAuditEvent(event(ctx, body), tx);
    });
  }

  /**
   * Interventions left without an outcome by a process that died: they end INTERRUPTED. All of
   * them with one node; with several, those of one node (`nodeId`, null for rows from before
   * nodes were recorded). A row another survivor ended meanwhile is left alone.
   */
  async interruptUnfinished(
    of: { nodeId: string | null } | "all" = "all",
    actorName = "restart",
  ): Promise<TInterventionView[]> {
    const open = await this.db.intervention.findMany({
      where: { outcome: null, ...(of === "all" ? {} : { nodeId: of.nodeId }) },
    });
    const ended: TInterventionView[] = [];
    for (const row of open) {
      const lastStage = ZStage.parse(row.stage);
      const ctx: TInterventionContext = {
        id: row.id,
        companyCode: row.companyCode,
        actor: { kind: "system", name: actorName },
        meta: { ip: null, userAgent: null },
      };
      const done = await this.db.$transaction(async (tx) => {
        const moved = await tx.intervention.updateMany({
          where: { id: row.id, outcome: null },
          data: { stage: "interrupted", outcome: "interrupted" },
        });
        if (moved.count === 0) return false;
        await appendAuditEvent(
          event(ctx, {
            type: "intervention.interrupted",
            data: { interventionId: row.id, lastStage },
          }),
          tx,
        );
        return true;
      });
      const view = done ? await this.view(row.id) : undefined;
      if (view) ended.push(view);
    }
    return ended;
  }

  /** The nodes that still have interventions without an outcome (null: rows without a node). */
  async openNodes(): Promise<(string | null)[]> {
    const rows = await this.db.intervention.findMany({
      where: { outcome: null },
      select: { nodeId: true },
      distinct: ["nodeId"],
    });
    return rows.map((r) => r.nodeId);
  }

  /**
   * One intervention with its timeline, from its row and its audit events. Read in one
   * transaction: on SQLite's single connection a plain read can land inside another
   * transaction's writes and see the row moved before its event exists.
   */
  async view(id: string): Promise<TInterventionView | undefined> {
    const found = await this.db.$transaction(async (tx) => {
      const row = await tx.intervention.findUnique({ where: { id } });
      if (!row) return undefined;
      const events = await tx.auditEvent.findMany({
        where: { interventionId: id },
        orderBy: { id: "asc" },
        select: { type: true, at: true, data: true },
      });
      return { row, events };
    });
    if (!found) return undefined;
    const { row, events } = found;
    return interventionView(
      { ...row, operation: ZOperation.parse(row.operation), stage: ZStage.parse(row.stage) },
      events.map((e) => timelineEntry(e.type, e.at, e.data)),
    );
  }

  /** The company's interventions in progress and the latest finished ones, newest first. */
  async recent(companyCode: string, limit = 20): Promise<TInterventionView[]> {
    const rows = await this.db.intervention.findMany({
      where: { companyCode },
      orderBy: { requestedAt: "desc" },
      take: limit,
      select: { id: true },
    });
    const open = await this.db.intervention.findMany({
      where: { companyCode, outcome: null },
      select: { id: true },
    });
    const ids = [...new Set([...open, ...rows].map((r) => r.id))];
    const views = await Promise.all(ids.map((id) => this.view(id)));
    return views
      .filter((v): v is TInterventionView => v !== undefined)
      .sort((a, b) => b.requestedAt - a.requestedAt);
  }

  async byIdempotencyKey(actorId: string, key: string): Promise<TInterventionView | undefined> {
    const row = await this.db.intervention.findUnique({
      where: { actorId_idempotencyKey: { actorId, idempotencyKey: key } },
      select: { id: true },
    });
    return row ? this.view(row.id) : undefined;
  }

  /** Where an intervention stands (for "already in progress by … (stage)"), if it exists. */
  async stageOf(id: string): Promise<TStage | undefined> {
    const row = await this.db.intervention.findUnique({ where: { id }, select: { stage: true } });
    const stage = ZStage.safeParse(row?.stage);
    return stage.success ? stage.data : undefined;
  }
}

function event(ctx: TInterventionContext, body: TStageBody): TAuditEventInput {
  return {
    ...body,
    actor: ctx.actor,
    companyCode: ctx.companyCode,
    ip: ctx.meta.ip,
    userAgent: ctx.meta.userAgent,
  } as TAuditEventInput;
}

const STAGE_OF: Record<string, TTimelineEntry["stage"]> = {
  "intervention.requested": "requested",
  "intervention.sent": "sent",
  "intervention.acked": "acked",
  "intervention.failed": "failed",
  "intervention.phone": "phone",
  "intervention.confirmed": "confirmed",
  "intervention.unconfirmed": "unconfirmed",
  "intervention.interrupted": "interrupted",
};

function timelineEntry(type: string, at: Date, raw: string): TTimelineEntry {
  const data = JSON.parse(raw) as Record<string, unknown>;
  const entry: TTimelineEntry = { stage: STAGE_OF[type] ?? "requested", at: at.getTime() };
  if (typeof data.latencyMs === "number") entry.latencyMs = data.latencyMs;
  if (typeof data.code === "string") entry.code = data.code;
  const detail = data.msg ?? data.event ?? data.lastStage;
  if (typeof detail === "string") entry.detail = detail;
  return entry;
}
