import { describe, expect, it } from "vitest";
import {
  DEFAULT_FILTER,
  dependsOnLiveFields,
  filterAndSort,
  gridItems,
  Keeper,
  sameGridItems,
  sameSummary,
  summarize,
} from "@/lib/floor/view";
import { rosterAgent } from "@/lib/floor/reducer";
import { formatDuration } from "@/lib/format/duration";
import type { TFloorAgent, TFloorCall } from "@/lib/floor/types";

const T0 = 1_700_000_000_000;
function agent(id: string, overrides: Partial<TFloorAgent> = {}): TFloorAgent {
  return {
    ...rosterAgent({ agentId: id, name: id, extId: id, skills: ["s1"], status: "FREE", now: T0 }),
    ...overrides,
  };
}

const agents = [
  agent("90001_20002", {
    name: "王五",
    status: "CALLING",
    statusSince: T0 + 30,
    numbers: ["13812345678"],
    skills: ["s1", "s2"],
  }),
  agent("90001_20000", { name: "张三", status: "FREE", statusSince: T0 + 10 }),
  agent("90001_20001", {
    name: "李四",
    status: "RINGING",
    statusSince: T0 + 20,
    stale: true,
    skills: ["s2"],
  }),
];

describe("filterAndSort", () => {
  it("filters by state, skill and search over name, ids and numbers", () => {
    const ids = (f: Partial<typeof DEFAULT_FILTER>) =>
      filterAndSort(agents, { ...DEFAULT_FILTER, ...f }).map((a) => a.agentId);
    expect(ids({})).toEqual(["90001_20000", "90001_20001", "90001_20002"]);
    expect(ids({ states: ["RINGING", "CALLING"] })).toEqual(["90001_20001", "90001_20002"]);
    expect(ids({ skillId: "s2" })).toEqual(["90001_20001", "90001_20002"]);
    expect(ids({ search: "李" })).toEqual(["90001_20001"]);
    expect(ids({ search: "1234" })).toEqual(["90001_20002"]);
    expect(ids({ search: " 20000 " })).toEqual(["90001_20000"]);
  });

  it("sorts by state, time in state and name, either way", () => {
    const ids = (f: Partial<typeof DEFAULT_FILTER>) =>
      filterAndSort(agents, { ...DEFAULT_FILTER, ...f }).map((a) => a.agentId);
    expect(ids({ sort: "status" })).toEqual(["90001_20000", "90001_20001", "90001_20002"]);
    expect(ids({ sort: "timeInState" })).toEqual(["90001_20000", "90001_20001", "90001_20002"]);
    expect(ids({ sort: "timeInState", descending: true })).toEqual([
      "90001_20002",
      "90001_20001",
      "90001_20000",
    ]);
    expect(ids({ sort: "agentId", descending: true })).toEqual([
      "90001_20002",
      "90001_20001",
      "90001_20000",
    ]);
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
    expect(summary).toMatchObject({
      ringingCalls: 1,
      talkingCalls: 2,
      longestCallSince: T0 + 2,
      longestRingSince: T0 + 20,
      stale: 1,
    });
  });
});

describe("formatDuration", () => {
  it("formats minutes and hours, never negative", () => {
    expect(formatDuration(65_000)).toBe("01:05");
    expect(formatDuration(3_725_000)).toBe("1:02:05");
    expect(formatDuration(-5000)).toBe("00:00");
  });
});

describe("list refresh helpers", () => {
  it("knows which filters a status change can reorder", () => {
    expect(dependsOnLiveFields(DEFAULT_FILTER)).toBe(false);
    expect(
      dependsOnLiveFields({ ...DEFAULT_FILTER, sort: "name", skillId: "s1", descending: true }),
    ).toBe(false);
    expect(dependsOnLiveFields({ ...DEFAULT_FILTER, states: ["FREE"] })).toBe(true);
    expect(dependsOnLiveFields({ ...DEFAULT_FILTER, search: "138" })).toBe(true);
    expect(dependsOnLiveFields({ ...DEFAULT_FILTER, search: "  " })).toBe(false);
    expect(dependsOnLiveFields({ ...DEFAULT_FILTER, sort: "status" })).toBe(true);
    expect(dependsOnLiveFields({ ...DEFAULT_FILTER, sort: "timeInState" })).toBe(true);
  });

  it("keeps the previous rows and summary while they are equal", () => {
    const order = ["s1", "s2"];
    const rows = new Keeper(sameGridItems);
    const first = rows.keep(gridItems(agents, true, order));
    expect(rows.keep(gridItems(agents, true, order))).toBe(first);
    const changed = gridItems(agents.slice(1), true, order);
    expect(rows.keep(changed)).toBe(changed);
    expect(
      sameGridItems(
        gridItems(agents, false, order),
        gridItems([...agents].reverse(), false, order),
      ),
    ).toBe(false);
    expect(sameGridItems(gridItems(agents, true, order), gridItems(agents, false, order))).toBe(
      false,
    );

    const summaries = new Keeper(sameSummary);
    const s1 = summaries.keep(summarize(agents, []));
    expect(summaries.keep(summarize(agents, []))).toBe(s1);
    const s2 = summarize([...agents, agent("90001_20003")], []);
    expect(summaries.keep(s2)).toBe(s2);
  });
});
