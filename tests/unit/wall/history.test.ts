import { describe, expect, it } from "vitest";
import { historySeries, MAX_HISTORY_HOURS } from "@/lib/wall/history";
import type { THistoryPoint } from "@/lib/wall/types";

const M0 = 1_700_000_040_000 - (1_700_000_040_000 % 60_000);

function point(minute: number, free: number): THistoryPoint {
  return {
    minute: M0 + minute * 60_000,
    counts: { OFFLINE: 1, FREE: free, BUSY: 0, REST: 0, RINGING: 0, CALLING: 2, ARRANGE: 0 },
    ringing: 0,
    talking: 2,
  };
}

describe("historySeries", () => {
  it("is empty without points", () => {
    const series = historySeries({ companyCode: "90001", fromMinute: M0, points: [] }, 8);
    expect(series.xs).toEqual([]);
    expect(series.range).toEqual([M0 / 1000, M0 / 1000 + 8 * 3600]);
    expect(series.byStatus.FREE).toEqual([]);
  });

  it("gives one slot a minute in seconds, sorted, null where the server recorded nothing", () => {
    const series = historySeries(
      {
        companyCode: "90001",
        fromMinute: M0,
        points: [point(3, 7), point(0, 5), point(1, 6)],
      },
      8,
    );
    expect(series.xs).toEqual([0, 1, 2, 3].map((m) => (M0 + m * 60_000) / 1000));
    expect(series.byStatus.FREE).toEqual([5, 6, null, 7]);
    expect(series.byStatus.CALLING).toEqual([2, 2, null, 2]);
    expect(series.talking).toEqual([2, 2, null, 2]);
  });

  it("keeps at most 24 hours of minutes", () => {
    const series = historySeries(
      {
        companyCode: "90001",
        fromMinute: M0,
        points: [point(0, 1), point(MAX_HISTORY_HOURS * 60 + 10, 2)],
      },
      8,
    );
    // An answer that goes past the window it was asked for widens the axis to its last point.
    expect(series.range[1]).toBe((M0 + (MAX_HISTORY_HOURS * 60 + 10) * 60_000) / 1000);
    expect(series.xs).toHaveLength(MAX_HISTORY_HOURS * 60);
    expect(series.byStatus.FREE.at(-1)).toBe(2);
  });
});
