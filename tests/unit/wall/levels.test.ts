import { describe, expect, it } from "vitest";
import { agentLevel, countLevel, levelOf, restOver, ringLevel, talkLevel } from "@/lib/wall/levels";
import { DEFAULT_WALL_THRESHOLDS as T } from "@/lib/wall/types";
import { agent, T0 } from "./fixtures";

describe("tile levels", () => {
  it("turns amber at the amber limit and red at the red limit, not a millisecond before", () => {
    expect(levelOf(undefined, 20, 60)).toBe("ok");
    expect(levelOf(19_999, 20, 60)).toBe("ok");
    expect(levelOf(20_000, 20, 60)).toBe("amber");
    expect(levelOf(59_999, 20, 60)).toBe("amber");
    expect(levelOf(60_000, 20, 60)).toBe("red");
  });

  it("uses the ring limits for rings and the talk limits for calls", () => {
    expect(ringLevel(61_000, T)).toBe("red");
    expect(talkLevel(61_000, T)).toBe("ok");
    expect(talkLevel(600_000, T)).toBe("amber");
    expect(talkLevel(1_200_000, T)).toBe("red");
  });

  it("counts REST beyond restMin minutes, and any count that must be zero as red", () => {
    expect(restOver(15 * 60_000 - 1, T)).toBe(false);
    expect(restOver(15 * 60_000, T)).toBe(true);
    expect(countLevel(0)).toBe("ok");
    expect(countLevel(1)).toBe("red");
  });

  it("gives each agent the level of its own state and time in it", () => {
    const now = T0 + 70_000;
    expect(agentLevel(agent("r", { status: "RINGING" }), now, T)).toBe("red");
    expect(agentLevel(agent("c", { status: "CALLING" }), now, T)).toBe("ok");
    expect(agentLevel(agent("f", { status: "FREE" }), now + 3_600_000, T)).toBe("ok");
    expect(agentLevel(agent("z", { status: "REST" }), T0 + 16 * 60_000, T)).toBe("red");
    expect(agentLevel(agent("z", { status: "REST" }), T0 + 14 * 60_000, T)).toBe("ok");
  });
});
