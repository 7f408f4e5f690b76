import { describe, expect, it } from "vitest";
import { DEFAULT_FILTER, filterAndSort, gridItems, summarize } from "@/lib/floor/view";
import { rosterAgent } from "@/lib/floor/reducer";
import { formatDuration } from "@/lib/format/duration";
import type { TFloorAgent, TFloorCall } from "@/lib/floor/types";

const T0 = 1_700_000_000_000;
function agent(id: string, overrides: Partial<TFloorAgent> = {}): TFloorAgent {
  return { ...rosterAgent({ agentId: id, name: id, extId: id, skills: ["s1"], status: "FREE", now: T0 }), ...overrides };
}

const agents = [
  agent("90001_20002", { name: "王五", status: "CALLING", statusSince: T0 + 30, numbers: ["13812345678"], skills: ["s1", "s2"] }),
  agent("90001_20000", { name: "张三", status: "FREE", statusSince: T0 + 10 }),
  agent("90001_20001", { name: "李四", status: "RINGING", statusSince: T0 + 20, stale: true, skills: ["s2"] }),
];

describe("filterAndSort", () => {
  it("filters by state, skill and search over name, ids and numbers", () => {
    const ids = (f: Partial<typeof DEFAULT_FILTER>) => filterAndSort(agents, { ...DEFAULT_FILTER, ...f }).map((a) => a.agentId);
    expect(ids({})).toEqual(["90001_20000", "90001_20001", "90001_20002"]);
    expect(ids({ states: ["RINGING", "CALLING"] })).toEqual(["90001_20001", "90001_20002"]);
    expect(ids({ skillId: "s2" })).toEqual(["90001_20001", "90001_20002"]);
    expect(ids({ search: "李" })).toEqual(["90001_20001"]);
    expect(ids({ search: "1234" })).toEqual(["90001_20002"]);
    expect(ids({ search: " 20000 " })).toEqual(["90001_20000"]);
  });

  it("sorts by state, time in state and name, either way", () => {
    const ids = (f: Partial<typeof DEFAULT_FILTER>) => filterAndSort(agents, { ...DEFAULT_FILTER, ...f }).map((a) => a.agentId);
    expect(ids({ sort: "status" })).toEqual(["90001_20000", "90001_20001", "90001_20002"]);
    expect(ids({ sort: "timeInState" })).toEqual(["90001_20000", "90001_20001", "90001_20002"]);
    expect(ids({ sort: "timeInState", descending: true })).toEqual(["90001_20002", "90001_20001", "90001_20000"]);
    expect(ids({ sort: "agentId", descending: true })).toEqual(["90001_20002", "90001_20001", "90001_20000"]);
  });
});

describe("gridItems", () => {
  it("groups under a header per skill in skill order", () => {
    expect(gridItems(agents, true, ["s1", "s2"])).toEqual([
      { kind: "group", skillId: "s1", count: 2 },
      { kind: "agent", agentId: "90001_20002", skillId: "s1" },
      { kind: "agent", agentId: "90001_20000", skillId: "s1" },
      { kind: "group", skillId: "s2", count: 2 },
      { kind: "agent", agentId: "90001_20002", skillId: "s2" },
      { kind: "agent", agentId: "90001_20001", skillId: "s2" },
    ]);
    expect(gridItems(agents, false, [])).toHaveLength(3);
  });
});

describe("summarize", () => {
  it("counts states, calls, stale agents and finds the longest call and ring", () => {
    const calls: TFloorCall[] = [
      { uuid: "a", agentIds: ["x"], state: "talking", startedAt: T0, answeredAt: T0 + 5 },
      { uuid: "b", agentIds: ["y"], state: "hold", startedAt: T0 + 1, answeredAt: T0 + 2 },
      { uuid: "c", agentIds: ["z"], state: "ringing", startedAt: T0 + 3 },
    ];
    const summary = summarize(agents, calls);
    expect(summary.byStatus).toMatchObject({ FREE: 1, RINGING: 1, CALLING: 1, OFFLINE: 0 });
    expect(summary).toMatchObject({ ringingCalls: 1, talkingCalls: 2, longestCallSince: T0 + 2, longestRingSince: T0 + 20, stale: 1 });
  });
});

describe("formatDuration", () => {
  it("formats minutes and hours, never negative", () => {
    expect(formatDuration(65_000)).toBe("01:05");
    expect(formatDuration(3_725_000)).toBe("1:02:05");
    expect(formatDuration(-5000)).toBe("00:00");
  });
});
