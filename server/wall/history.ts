import "server-only";
import type { FloorMinute, PrismaClient } from "@/generated/prisma/client";
import type { TFloorSummary } from "@/lib/floor/view";
import type { TAgentStatus } from "@/lib/protocol/states";
import type { THistoryPoint, TWallHistory } from "@/lib/wall/types";

export const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** The start of the minute `ms` falls in. */
export function minuteOf(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

/** The FloorMinute column that counts the agents in each state. */
const COLUMN_OF: Record<TAgentStatus, keyof FloorMinute & `agents${string}`> = {
  OFFLINE: "agentsOffline",
  FREE: "agentsFree",
  BUSY: "agentsBusy",
  REST: "agentsRest",
  RINGING: "agentsRinging",
  CALLING: "agentsCalling",
  ARRANGE: "agentsArrange",
};
const STATUSES = Object.keys(COLUMN_OF) as TAgentStatus[];

/** One company's floor at one minute, as the table keeps it. */
export function minuteRow(
  companyCode: string,
  minute: number,
  summary: TFloorSummary,
): FloorMinute {
  const row: FloorMinute = {
    companyCode,
    minute: new Date(minute),
    agentsOffline: 0,
    agentsFree: 0,
    agentsBusy: 0,
    agentsRest: 0,
    agentsRinging: 0,
    agentsCalling: 0,
    agentsArrange: 0,
    callsRinging: summary.ringingCalls,
    callsTalking: summary.talkingCalls,
  };
  for (const status of STATUSES) row[COLUMN_OF[status]] = summary.byStatus[status];
  return row;
}

function pointOf(row: FloorMinute): THistoryPoint {
  const counts = Object.fromEntries(STATUSES.map((s) => [s, row[COLUMN_OF[s]]])) as Record<
    TAgentStatus,
    number
  >;
  return {
    minute: row.minute.getTime(),
    counts,
    ringing: row.callsRinging,
    talking: row.callsTalking,
  };
}

/** Where the recorder writes its minutes (the database; the recorder's unit test uses memory). */
export interface THistoryStore {
  /** Writes each row, replacing the row of the same company and minute if there is one. */
  upsert(rows: readonly FloorMinute[]): Promise<void>;
  /** Deletes the minutes before `minute` (epoch ms); how many. */
  pruneBefore(minute: number): Promise<number>;
}

/** The FloorMinute table: every row of a sample in one transaction (one fsync a minute). */
export function databaseHistoryStore(db: PrismaClient): THistoryStore {
  return {
    async upsert(rows) {
      if (rows.length === 0) return;
      await db.$transaction(
        rows.map(({ companyCode, minute, ...counts }) =>
          db.floorMinute.upsert({
            where: { companyCode_minute: { companyCode, minute } },
            create: { companyCode, minute, ...counts },
            update: counts,
          }),
        ),
      );
    },
    async pruneBefore(minute) {
      const { count } = await db.floorMinute.deleteMany({
        where: { minute: { lt: new Date(minute) } },
      });
      return count;
    },
  };
}

/** The first minute kept when history is kept `days` days. */
export function keptFrom(now: number, days: number): number {
  return minuteOf(now) - days * DAY_MS;
}

/** A company's minutes from `hours` hours before the current minute to now, oldest first. */
export async function readHistory(
  db: PrismaClient,
  companyCode: string,
  hours: number,
  now: number,
): Promise<TWallHistory> {
  const fromMinute = minuteOf(now) - hours * HOUR_MS;
  const rows = await db.floorMinute.findMany({
    where: { companyCode, minute: { gte: new Date(fromMinute) } },
    orderBy: { minute: "asc" },
    // At most one row a minute: the window's minutes and the current one.
    take: hours * 60 + 1,
  });
  return { companyCode, fromMinute, points: rows.map(pointOf) };
}
