import { describe, expect, it } from "vitest";
import { startOfDay } from "@/server/wall/today";

describe("[WALL] today, on the pages' clock (Asia/Shanghai, UTC+8)", () => {
  it("starts at Shanghai's midnight, not UTC's", () => {
    // 2026-12-01 00:30 in Shanghai is 2026-11-30 16:30 UTC.
    expect(startOfDay(Date.UTC(2026, 10, 30, 16, 30)).toISOString()).toBe(
      "2026-11-30T16:00:00.000Z",
    );
    // 2026-11-30 23:59 in Shanghai is 2026-11-30 15:59 UTC: still the 30th there.
    expect(startOfDay(Date.UTC(2026, 10, 30, 15, 59)).toISOString()).toBe(
      "2026-11-29T16:00:00.000Z",
    );
    expect(startOfDay(Date.UTC(2026, 10, 30, 16, 0)).toISOString()).toBe(
      "2026-11-30T16:00:00.000Z",
    );
  });
});
