import { describe, expect, it } from "vitest";
import { ThresholdsState, ZWallThresholdsEvent } from "@/lib/wall/thresholds";
import { DeploymentWatch } from "@/lib/wall/deployment";
import { NotLiveSince } from "@/lib/wall/liveness";
import { DEFAULT_WALL_THRESHOLDS as T } from "@/lib/wall/types";

describe("ThresholdsState", () => {
  const low = { ...T, ringAmberS: 2, ringRedS: 5 };

  it("takes the config's thresholds, and reports a change only when they differ", () => {
    const state = new ThresholdsState();
    expect(state.current).toBeUndefined();
    expect(state.fromConfig(T, 100)).toBe(true);
    expect(state.fromConfig({ ...T }, 200)).toBe(false);
    expect(state.current).toEqual(T);
  });

  it("an event wins over a config answer to a request sent before it", () => {
    const state = new ThresholdsState();
    state.fromConfig(T, 100);
    expect(state.fromEvent(low, 500)).toBe(true);
    // A refetch that left at 400 answers after the event with the old values.
    expect(state.fromConfig(T, 400)).toBe(false);
    expect(state.current).toEqual(low);
    // One sent after the event is the server's word.
    expect(state.fromConfig(T, 600)).toBe(true);
    expect(state.current).toEqual(T);
  });

  it("validates the socket payload", () => {
    expect(ZWallThresholdsEvent.safeParse({ companyCode: "90001", thresholds: low }).success).toBe(
      true,
    );
    expect(
      ZWallThresholdsEvent.safeParse({
        companyCode: "90001",
        thresholds: { ...T, ringAmberS: 60, ringRedS: 20 },
      }).success,
    ).toBe(false);
    expect(ZWallThresholdsEvent.safeParse({ thresholds: T }).success).toBe(false);
  });
});

describe("DeploymentWatch", () => {
  it("reports a version other than the first one seen", () => {
    const watch = new DeploymentWatch();
    expect(watch.changed("1.0.0+a")).toBe(false);
    expect(watch.changed("1.0.0+a")).toBe(false);
    expect(watch.changed("1.0.1+b")).toBe(true);
  });
});

describe("NotLiveSince", () => {
  it("keeps the first moment it was not live until live again", () => {
    const since = new NotLiveSince();
    expect(since.update(true, 1000)).toBeUndefined();
    expect(since.update(false, 2000)).toBe(2000);
    expect(since.update(false, 3000)).toBe(2000);
    expect(since.update(true, 4000)).toBeUndefined();
    expect(since.update(false, 5000)).toBe(5000);
  });
});
