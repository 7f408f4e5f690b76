import { afterEach, describe, expect, it, vi } from "vitest";
import { FloorStore, type TFloorChange } from "@/server/floor/store";
import { DeltaBatcher } from "@/server/floor/batcher";
import type { TFloorDelta } from "@/lib/floor/types";

const T0 = 1_700_000_000_000;
const skills = [{ skillId: "9000101", skillName: "售前咨询" }];
const roster = [
  {
    agentId: "90001_20000",
    name: "张三",
    extId: "90001_20000",
    skills: ["9000101"],
    status: "FREE" as const,
  },
  { agentId: "90001_20001", name: "李四", extId: "90001_20001", skills: ["9000101"] },
];

function collect(store: FloorStore): TFloorChange[] {
  const changes: TFloorChange[] = [];
  store.on("change", (c) => changes.push(c));
  return changes;
}

describe("FloorStore", () => {
  afterEach(() => vi.useRealTimers());

  it("numbers every visible change and stays quiet on confirmations", () => {
    const store = new FloorStore("90001", 4000);
    const changes = collect(store);
    store.applyRoster(roster, skills, T0);
    expect(changes.map((c) => c.seq)).toEqual([1, 2]);
    expect(store.agent("90001_20001")?.status).toBe("OFFLINE");
    expect(
      store.observe(
        { agentId: "90001_20000", status: "FREE", numbers: [], observedAt: T0 + 10, via: "poll" },
        T0 + 20,
      ),
    ).toBe("confirmed");
    expect(changes).toHaveLength(2);
    expect(
      store.observe(
        {
          agentId: "90001_20000",
          status: "RINGING",
          uuid: "call-1",
          numbers: ["13800000000"],
          observedAt: T0 + 30,
          via: "push",
        },
        T0 + 30,
      ),
    ).toBe("changed");
    expect(store.seq).toBe(3);
    const last = changes.at(-1)!;
    expect(last.agents[0]?.status).toBe("RINGING");
    expect(last.calls).toEqual([
      expect.objectContaining({ uuid: "call-1", state: "ringing", customerNumber: "13800000000" }),
    ]);
    expect(
      store.observe(
        { agentId: "90009_1", status: "FREE", numbers: [], observedAt: T0, via: "push" },
        T0,
      ),
    ).toBe("unknown");
  });

  it("ends a call when its last agent leaves it, and removes agents that leave the roster", () => {
    const store = new FloorStore("90001", 4000);
    store.applyRoster(roster, skills, T0);
    store.observe(
      {
        agentId: "90001_20000",
        status: "CALLING",
        uuid: "call-1",
        numbers: [],
        observedAt: T0 + 1,
        via: "push",
      },
      T0 + 1,
    );
    const changes = collect(store);
    store.observe(
      { agentId: "90001_20000", status: "ARRANGE", numbers: [], observedAt: T0 + 2, via: "push" },
      T0 + 2,
    );
    expect(changes.at(-1)?.removedCalls).toEqual(["call-1"]);
    store.applyRoster(roster.slice(1), skills, T0 + 3);
    expect(changes.at(-1)?.removedAgents).toEqual(["90001_20000"]);
    expect(store.snapshot().agents.map((a) => a.agentId)).toEqual(["90001_20001"]);
  });

  it("ignores a poll answer that left before the last push", () => {
    const store = new FloorStore("90001", 4000);
    store.applyRoster(roster, skills, T0);
    store.observe(
      {
        agentId: "90001_20000",
        status: "CALLING",
        uuid: "c",
        numbers: [],
        observedAt: T0 + 100,
        via: "push",
      },
      T0 + 100,
    );
    const result = store.observe(
      {
        agentId: "90001_20000",
        status: "RINGING",
        uuid: "c",
        numbers: [],
        observedAt: T0 + 50,
        via: "poll",
      },
      T0 + 120,
    );
    expect(result).toBe("outdated");
    expect(store.agent("90001_20000")?.status).toBe("CALLING");
  });

  it("knows the roster's agent and extension ids, kept current as the roster changes", () => {
    const store = new FloorStore("90001", 4000);
    expect([...store.knownIds()]).toEqual([]);
    store.applyRoster(
      [...roster, { ...roster[1]!, agentId: "90001_20002", extId: "8002" }],
      skills,
      T0,
    );
    expect([...store.knownIds()].sort()).toEqual([
      "8002",
      "90001_20000",
      "90001_20001",
      "90001_20002",
    ]);
    store.applyRoster(roster.slice(0, 1), skills, T0 + 1);
    expect([...store.knownIds()]).toEqual(["90001_20000"]);
  });

  it("takes the first number that is not a known id as the customer's, whatever its shape", () => {
    const store = new FloorStore("90001", 4000);
    store.applyRoster(roster, skills, T0);
    const changes = collect(store);
    store.observe(
      {
        agentId: "90001_20000",
        status: "CALLING",
        uuid: "call-1",
        numbers: ["90001_20001", "0086_13812345678"],
        observedAt: T0 + 1,
        via: "push",
      },
      T0 + 1,
    );
    expect(changes.at(-1)?.calls).toEqual([
      expect.objectContaining({ uuid: "call-1", customerNumber: "0086_13812345678" }),
    ]);
  });

  it("derives its calls again when the roster learns an id they carry", () => {
    const store = new FloorStore("90001", 4000);
    store.applyRoster(roster, skills, T0);
    store.observe(
      {
        agentId: "90001_20000",
        status: "CALLING",
        uuid: "call-1",
        numbers: ["90001_20009", "13812345678"],
        observedAt: T0 + 1,
        via: "push",
      },
      T0 + 1,
    );
    expect(store.snapshot().calls[0]?.customerNumber).toBe("90001_20009");
    const changes = collect(store);
    const newcomer = { agentId: "90001_20009", name: "王五", extId: "90001_20009", skills: [] };
    store.applyRoster([...roster, newcomer], skills, T0 + 2);
    expect(store.snapshot().calls[0]?.customerNumber).toBe("13812345678");
    expect(changes.flatMap((c) => c.calls)).toEqual([
      expect.objectContaining({ uuid: "call-1", customerNumber: "13812345678" }),
    ]);
    expect(changes.map((c) => c.seq)).toEqual([store.seq - 1, store.seq]);
  });

  it("marks agents stale once unconfirmed for longer than the limit, once", () => {
    const store = new FloorStore("90001", 4000);
    store.applyRoster(roster, skills, T0);
    const changes = collect(store);
    expect(store.sweep(T0 + 4000)).toBe(0);
    expect(store.sweep(T0 + 4001)).toBe(2);
    expect(store.sweep(T0 + 5000)).toBe(2);
    expect(changes).toHaveLength(2);
    expect(store.agent("90001_20000")?.stale).toBe(true);
    store.observe(
      { agentId: "90001_20000", status: "FREE", numbers: [], observedAt: T0 + 5000, via: "poll" },
      T0 + 5000,
    );
    expect(store.agent("90001_20000")?.stale).toBe(false);
    expect(changes).toHaveLength(3);
  });
});

describe("DeltaBatcher", () => {
  it("coalesces changes per agent into one delta per window with contiguous seqs", () => {
    vi.useFakeTimers();
    const store = new FloorStore("90001", 4000);
    const deltas: TFloorDelta[] = [];
    const batcher = new DeltaBatcher(store, (d) => deltas.push(d), 50);
    store.applyRoster(roster, skills, T0);
    for (const [i, status] of (["RINGING", "CALLING", "ARRANGE"] as const).entries()) {
      store.observe(
        {
          agentId: "90001_20000",
          status,
          uuid: "call-1",
          numbers: [],
          observedAt: T0 + i + 1,
          via: "push",
        },
        T0 + i + 1,
      );
    }
    expect(deltas).toHaveLength(0);
    vi.advanceTimersByTime(50);
    expect(deltas).toHaveLength(1);
    const delta = deltas[0]!;
    expect([delta.fromSeq, delta.toSeq]).toEqual([1, 5]);
    expect(delta.agents.map((a) => [a.agentId, a.status])).toEqual([
      ["90001_20000", "ARRANGE"],
      ["90001_20001", "OFFLINE"],
    ]);
    expect(delta.calls).toEqual([]);
    expect(delta.removedCalls).toEqual(["call-1"]);
    expect(batcher.lastSentSeq).toBe(5);
    store.observe(
      { agentId: "90001_20001", status: "FREE", numbers: [], observedAt: T0 + 10, via: "poll" },
      T0 + 10,
    );
    vi.advanceTimersByTime(50);
    expect(deltas[1]?.fromSeq).toBe(6);
    batcher.stop();
  });
});
