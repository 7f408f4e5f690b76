import { AGENT_STATUSES, type TAgentStatus } from "@/lib/protocol/states";
import type { TWallHistory } from "./types";

const MINUTE_MS = 60_000;
/** The history route serves at most 24 hours. */
export const MAX_HISTORY_HOURS = 24;

/** Column-wise series for a chart: x in epoch seconds, one value per minute, null where none was recorded. */
export interface THistorySeries {
  /** The window asked for, in epoch seconds: the chart's x axis spans it whatever was recorded. */
  range: [number, number];
  xs: number[];
  byStatus: Record<TAgentStatus, (number | null)[]>;
  ringing: (number | null)[];
  talking: (number | null)[];
}

/**
 * One empty series per agent status. Written out rather than built from AGENT_STATUSES so the
 * compiler checks it: a status added to or removed from the protocol fails here until it is
 * listed (a Record literal must name every key, and only those).
 */
function emptyByStatus(): THistorySeries["byStatus"] {
  return { OFFLINE: [], FREE: [], BUSY: [], REST: [], RINGING: [], CALLING: [], ARRANGE: [] };
}

/**
 * One slot per minute from the first point's minute to the last's: minutes without a sample
 * (the server was down) stay null so the chart shows the gap instead of a line across it.
 * Bounded to the last 24 hours of minutes whatever the answer holds. The range is the `hours`
 * from the answer's first minute, so a young history sits at the left of a full window.
 */
export function historySeries(history: TWallHistory, hours: number): THistorySeries {
  const points = [...history.points].sort((a, b) => a.minute - b.minute);
  const from = history.fromMinute / 1000;
  const lastX = (points.at(-1)?.minute ?? history.fromMinute) / 1000;
  const series: THistorySeries = {
    range: [from, Math.max(lastX, from + hours * 3600)],
    xs: [],
    byStatus: emptyByStatus(),
    ringing: [],
    talking: [],
  };
  const last = points.at(-1);
  if (!last) return series;
  const lastMinute = Math.floor(last.minute / MINUTE_MS);
  const firstMinute = Math.max(
    Math.floor((points[0]?.minute ?? last.minute) / MINUTE_MS),
    lastMinute - MAX_HISTORY_HOURS * 60 + 1,
  );
  const byMinute = new Map(points.map((p) => [Math.floor(p.minute / MINUTE_MS), p]));
  for (let minute = firstMinute; minute <= lastMinute; minute++) {
    const point = byMinute.get(minute);
    series.xs.push((minute * MINUTE_MS) / 1000);
    for (const status of AGENT_STATUSES)
      series.byStatus[status].push(point ? point.counts[status] : null);
    series.ringing.push(point ? point.ringing : null);
    series.talking.push(point ? point.talking : null);
  }
  return series;
}
