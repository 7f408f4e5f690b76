import type { TInterventionView, TOperation, TStage, TTimelineEntry } from "./types";

/** What names an intervention: who did which operation, on whose seat, to which call. */
export interface TInterventionFields {
  id: string;
  companyCode: string;
  operation: TOperation;
  actorId: string;
  actorName: string;
  seatAgentId: string;
  targetAgentId: string;
  callUuid: string;
}

/** An intervention's row as stored (its columns, checked). */
export interface TInterventionRow extends TInterventionFields {
  reason: string | null;
  stage: TStage;
  code: string | null;
  message: string | null;
  requestedAt: Date;
  updatedAt: Date;
}

/**
 * The view of an intervention that the floor's panel, the audit page and its CSV export show:
 * its row with its timeline. Built field by field: during a long export an object spread of the
 * row made V8 place every view in the old generation (tens of MB of garbage there).
 */
export function interventionView(
  row: TInterventionRow,
  timeline: TTimelineEntry[],
): TInterventionView {
  const view: TInterventionView = {
    id: row.id,
    companyCode: row.companyCode,
    operation: row.operation,
    actorId: row.actorId,
    actorName: row.actorName,
    seatAgentId: row.seatAgentId,
    targetAgentId: row.targetAgentId,
    callUuid: row.callUuid,
    reason: row.reason ?? "",
    stage: row.stage,
    requestedAt: row.requestedAt.getTime(),
    updatedAt: row.updatedAt.getTime(),
    timeline,
  };
  if (row.code !== null) view.code = row.code;
  if (row.message !== null) view.message = row.message;
  return view;
}
