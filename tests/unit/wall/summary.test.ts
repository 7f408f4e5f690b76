import { describe, expect, it } from "vitest";
import { AlertGate } from "@/lib/wall/alerts";
import { OK_LEVELS, redTiles, sameLevels, tileLevels, wallSummary } from "@/lib/wall/summary";
import { DEFAULT_WALL_THRESHOLDS as T } from "@/lib/wall/types";
import { agent, call, T0 } from "./fixtures";

describe("wallSummary and tileLevels", () => {
  const agents = [
    agent("a1", { status: "CALLING", statusSince: T0 }),
    agent("a2", { status: "RINGING", statusSince: T0 + 30_000 }),
    agent("a3", { status: "REST", statusSince: T0 }),
    agent("a4", { status: "REST", statusSince: T0 + 10 * 60_000 }),
    agent("a5", { status: "FREE", stale: true }),
  ];
  const calls = [
    call("c1", { agentIds: ["a1"], answeredAt: T0 + 5_000 }),
    call("c2", {
      agentIds: ["a2"],
      state: "ringing",
      answeredAt: undefined,
      startedAt: T0 + 30_000,
    }),
  ];

  it("counts agents on REST beyond restMin besides the floor summary", () => {
    const summary = wallSummary(agents, calls, T0 + 20 * 60_000, T);
    expect(summary.restOver).toBe(1);
    expect(summary.byStatus.REST).toBe(2);
    expect(summary.ringingCalls).toBe(1);
    expect(summary.talkingCalls).toBe(1);
    expect(summary.stale).toBe(1);
    expect(summary.longestRingSince).toBe(T0 + 30_000);
    expect(summary.longestCallSince).toBe(T0 + 5_000);
  });

  it("levels each alert tile at the given time", () => {
    const at = (ms: number) => tileLevels(wallSummary(agents, calls, T0 + ms, T), T0 + ms, T);
    expect(at(40_000)).toEqual({
      longestRing: "ok",
      longestCall: "ok",
      restOver: "ok",
      stale: "red",
    });
    expect(at(60_000).longestRing).toBe("amber");
    expect(at(90_000).longestRing).toBe("red");
    expect(at(15 * 60_000)).toEqual({
      longestRing: "red",
      longestCall: "amber",
      restOver: "red",
      stale: "red",
    });
    expect(redTiles(at(90_000))).toEqual(["longestRing", "stale"]);
  });

  it("follows new thresholds at once", () => {
    const summary = wallSummary(agents, calls, T0 + 40_000, T);
    const low = { ...T, ringAmberS: 2, ringRedS: 5 };
    expect(tileLevels(summary, T0 + 40_000, T).longestRing).toBe("ok");
    expect(tileLevels(summary, T0 + 40_000, low).longestRing).toBe("red");
  });

  it("compares levels tile by tile", () => {
    expect(sameLevels(OK_LEVELS, { ...OK_LEVELS })).toBe(true);
    expect(sameLevels(OK_LEVELS, { ...OK_LEVELS, stale: "red" })).toBe(false);
  });
});

describe("AlertGate", () => {
  const red = { ...OK_LEVELS, longestRing: "red" as const };

  it("sounds when a tile turns red while live, once", () => {
    const gate = new AlertGate(10_000);
    expect(gate.update(OK_LEVELS, true, 0)).toEqual({ turnedRed: [], sound: false });
    expect(gate.update(red, true, 1000)).toEqual({ turnedRed: ["longestRing"], sound: true });
    expect(gate.update(red, true, 2000)).toEqual({ turnedRed: [], sound: false });
  });

  it("does not sound twice within the minimum gap, but still reports the turn", () => {
    const gate = new AlertGate(10_000);
    gate.update(red, true, 0);
    gate.update(OK_LEVELS, true, 1000);
    expect(gate.update(red, true, 2000)).toEqual({ turnedRed: ["longestRing"], sound: false });
    gate.update(OK_LEVELS, true, 3000);
    expect(gate.update(red, true, 12_000).sound).toBe(true);
  });

  it("compares nothing while not live, then sounds for what turned red meanwhile", () => {
    const gate = new AlertGate(10_000);
    gate.update(OK_LEVELS, true, 0);
    expect(gate.update(red, false, 1000)).toEqual({ turnedRed: [], sound: false });
    expect(gate.update(red, true, 2000).sound).toBe(true);
  });
});
