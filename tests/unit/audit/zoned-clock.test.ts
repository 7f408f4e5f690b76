import { describe, expect, it } from "vitest";
import { zonedClock, zonedParts } from "@/lib/audit/filters";

/** The time as Intl gives its parts for that very instant: what zonedClock must always write. */
function reference(epochMs: number, timeZone: string): string {
  const p = zonedParts(new Date(epochMs), timeZone);
  const pad = (n: number | undefined, width = 2) => String(n ?? 0).padStart(width, "0");
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}.${pad(p.millisecond, 3)}`;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Every 7 minutes and 13.5 seconds across six hours around an instant, in order. */
function around(epochMs: number): number[] {
  const times: number[] = [];
  for (let t = epochMs - 3 * HOUR; t <= epochMs + 3 * HOUR; t += 7 * MINUTE + 13_500) times.push(t);
  return times;
}

describe("[AUDIT] zonedClock", () => {
  const cases: [string, string, number][] = [
    ["China, no daylight saving", "Asia/Shanghai", Date.UTC(2026, 10, 30, 16, 0)],
    ["New York, clocks go forward", "America/New_York", Date.UTC(2026, 2, 8, 7, 0)],
    ["New York, clocks go back", "America/New_York", Date.UTC(2026, 10, 1, 6, 0)],
    ["India, half-hour offset", "Asia/Kolkata", Date.UTC(2026, 5, 1, 18, 30)],
    ["Lord Howe, half-hour daylight saving", "Australia/Lord_Howe", Date.UTC(2026, 3, 4, 15, 0)],
    // Changes of offset in the middle of an hour of UTC: the hour's first and last offsets differ.
    [
      "Lord Howe, clocks go forward at 15:30 UTC",
      "Australia/Lord_Howe",
      Date.UTC(2026, 9, 3, 15, 30),
    ],
    [
      "Newfoundland, clocks go forward at 05:30 UTC",
      "America/St_Johns",
      Date.UTC(2026, 2, 8, 5, 30),
    ],
    ["Nepal, 45-minute offset", "Asia/Kathmandu", Date.UTC(2026, 0, 1, 0, 0)],
  ];
  for (const [name, zone, instant] of cases) {
    it(`writes what Intl gives: ${name}`, () => {
      const clock = zonedClock(zone);
      const times = around(instant);
      expect(times.map((t) => clock(t))).toEqual(times.map((t) => reference(t, zone)));
    });
  }

  it("is right for times out of order too (its cache is by hour, not by the last time)", () => {
    const clock = zonedClock("America/New_York");
    const times = around(Date.UTC(2026, 10, 1, 6, 0)).reverse();
    const shuffled = times.map((t, i) => times[(i * 7) % times.length]!);
    expect(shuffled.map((t) => clock(t))).toEqual(
      shuffled.map((t) => reference(t, "America/New_York")),
    );
  });

  it("writes milliseconds and single digits with their zeros", () => {
    expect(zonedClock("Asia/Shanghai")(Date.UTC(2026, 0, 2, 1, 2, 3, 4))).toBe(
      "2026-01-02 09:02:03.004",
    );
  });
});
