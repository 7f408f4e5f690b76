import type { TOperation, TOutcome } from "@/lib/interventions/types";
import type { TInterventionFilters } from "@/lib/audit/filters";
import type { TSeedIntervention } from "./seed";

/** 2026-11-30 10:00 in Asia/Shanghai. */
export const T0 = Date.UTC(2026, 10, 30, 2, 0, 0);
export const MINUTE = 60_000;
/** Rows 10..14 share one requestedAt: the id breaks the tie. */
export const TIE = T0 - 10 * MINUTE;

export interface TActors {
  sup1: { id: string; name: string };
  sup2: { id: string; name: string };
  other: { id: string; name: string };
  third: { id: string; name: string };
  chief: { id: string; name: string };
}

const OUTCOMES: (TOutcome | null)[] = [
  "confirmed",
  "confirmed",
  "failed",
  "unconfirmed",
  "interrupted",
  null,
];

/**
 * 60 interventions over three companies, a minute apart (five at the same instant), with every
 * operation and outcome, Chinese reasons and one that a spreadsheet would run as a formula; and
 * one by an all-companies user.
 */
export function interventions(actors: TActors): TSeedIntervention[] {
  const list: TSeedIntervention[] = [];
  for (let i = 0; i < 60; i++) {
    const companyCode = i % 5 === 4 ? "90002" : i % 7 === 6 ? "90003" : "90001";
    const actor =
      companyCode === "90002"
        ? actors.other
        : companyCode === "90003"
          ? actors.third
          : i % 2 === 0
            ? actors.sup1
            : actors.sup2;
    const operation: TOperation = i % 3 === 0 ? "substitute" : "interrupt_call";
    list.push({
      id: `iv-${String(i).padStart(3, "0")}`,
      companyCode,
      operation,
      actor,
      targetAgentId: `${companyCode}_2000${i % 4}`,
      callUuid: `call-${i}`,
      reason:
        i % 10 === 0 ? `客户投诉：态度恶劣 ${i}` : i === 3 ? '=HYPERLINK("http://x")' : `r${i}`,
      requestedAt: new Date(i >= 10 && i <= 14 ? TIE : T0 - i * MINUTE),
      outcome: OUTCOMES[i % OUTCOMES.length] ?? null,
    });
  }
  list.push({
    id: "iv-chief",
    companyCode: "90001",
    operation: "interrupt_call",
    actor: actors.chief,
    targetAgentId: "90001_20001",
    callUuid: "call-chief",
    reason: "",
    requestedAt: new Date(T0 - 30 * MINUTE + 1),
    outcome: "confirmed",
  });
  return list;
}

/** What a filter must return, computed from the seed: the oracle the reads are checked against. */
export function expectedIds(
  all: TSeedIntervention[],
  f: Omit<TInterventionFilters, "kind" | "actor"> & { actorId?: string },
  companies: "all" | string[],
  hiddenActorIds: string[] = [],
): string[] {
  return all
    .filter(
      (iv) =>
        (companies === "all" || companies.includes(iv.companyCode)) &&
        (f.company === undefined || iv.companyCode === f.company) &&
        !hiddenActorIds.includes(iv.actor.id) &&
        (f.from === undefined || iv.requestedAt >= f.from) &&
        (f.to === undefined || iv.requestedAt < f.to) &&
        (f.actorId === undefined || iv.actor.id === f.actorId) &&
        (f.target === undefined || iv.targetAgentId === f.target) &&
        (f.call === undefined || iv.callUuid === f.call) &&
        (f.operation === undefined || iv.operation === f.operation) &&
        (f.outcome === undefined ||
          (f.outcome === "in_progress" ? iv.outcome === null : iv.outcome === f.outcome)),
    )
    .sort(
      (a, b) =>
        b.requestedAt.getTime() - a.requestedAt.getTime() ||
        (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
    )
    .map((iv) => iv.id);
}
