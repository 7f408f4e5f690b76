import { describe, expect, it } from "vitest";
import { FloorClientStore, type TResyncReason } from "@/lib/floor/client-store";
import { rosterAgent } from "@/lib/floor/reducer";
import type { TFloorAgent, TFloorDelta, TFloorSnapshot } from "@/lib/floor/types";

const T0 = 1_700_000_000_000;
const link = { state: "up" as const, since: T0 };

function agent(id: string, overrides: Partial<TFloorAgent> = {}): TFloorAgent {
  return {
    ...rosterAgent({ agentId: id, name: id, extId: id, skills: [], status: "FREE", now: T0 }),
    ...overrides,
  };
}

function snapshot(seq: number, agents: TFloorAgent[], epoch = "e1"): TFloorSnapshot {
  return {
    companyCode: "90001",
    epoch,
    seq,
    serverTime: T0,
    pollIntervalMs: 2000,
    link,
    skills: [],
    agents,
    calls: [],
  };
}

function delta(fromSeq: number, toSeq: number, agents: TFloorAgent[], epoch = "e1"): TFloorDelta {
  return {
    companyCode: "90001",
    epoch,
    fromSeq,
    toSeq,
    serverTime: T0,
    agents,
    removedAgents: [],
    calls: [],
    removedCalls: [],
  };
}

function setup() {
  let scheduled: (() => void) | undefined;
  const store = new FloorClientStore({
    schedule: (flush) => {
      scheduled = flush;
      return () => (scheduled = undefined);
    },
    listIntervalMs: 0,
    now: () => T0,
  });
  const resyncs: TResyncReason[] = [];
  store.onResync((r) => resyncs.push(r));
  return { store, resyncs, frame: () => scheduled?.() };
}

describe("FloorClientStore", () => {
  it("buffers deltas during the snapshot fetch, drops those it includes, replays the rest", () => {
    const { store, frame } = setup();
    store.beginSync();
    store.receiveDelta(delta(1, 3, [agent("a", { status: "BUSY" })]));
    store.receiveDelta(delta(4, 5, [agent("a", { status: "REST" })]));
    store.applySnapshot(snapshot(3, [agent("a", { status: "BUSY" }), agent("b")]));
    expect(store.status.seq).toBe(5);
    expect(store.getAgent("a")?.status).toBe("BUSY");
    frame();
    expect(store.getAgent("a")?.status).toBe("REST");
    expect(store.recentChanges.map((c) => [c.agentId, c.from, c.to])).toEqual([
      ["a", "BUSY", "REST"],
    ]);
  });

  it("applies changes once per frame and notifies only the rows that changed", () => {
    const { store, frame } = setup();
    store.applySnapshot(snapshot(0, [agent("a"), agent("b")]));
    const calls: string[] = [];
    store.subscribeAgent("a", () => calls.push("a"));
    store.subscribeAgent("b", () => calls.push("b"));
    store.receiveDelta(delta(1, 1, [agent("a", { status: "RINGING" })]));
    store.receiveDelta(delta(2, 2, [agent("a", { status: "CALLING" })]));
    expect(calls).toEqual([]);
    frame();
    expect(calls).toEqual(["a"]);
    expect(store.getAgent("a")?.status).toBe("CALLING");
    expect(store.historyOf("a").map((h) => h.status)).toEqual(["CALLING", "RINGING"]);
  });

  it("asks for a new snapshot on a gap, an epoch change, a heartbeat ahead of it, or a reconnect", () => {
    const { store, resyncs } = setup();
    store.applySnapshot(snapshot(10, [agent("a")]));
    store.receiveDelta(delta(12, 13, []));
    expect(resyncs).toEqual(["gap"]);
    store.applySnapshot(snapshot(13, [agent("a")]));
    store.receiveDelta(delta(14, 14, [], "e2"));
    expect(resyncs).toEqual(["gap", "epoch"]);
    store.applySnapshot(snapshot(20, [agent("a")], "e2"));
    store.receiveHeartbeat({ companyCode: "90001", epoch: "e2", seq: 20, serverTime: T0, link });
    expect(resyncs).toHaveLength(2);
    store.receiveHeartbeat({ companyCode: "90001", epoch: "e2", seq: 21, serverTime: T0, link });
    expect(resyncs).toEqual(["gap", "epoch", "gap"]);
    store.applySnapshot(snapshot(21, [agent("a")], "e2"));
    store.reconnected();
    expect(resyncs.at(-1)).toBe("reconnect");
    expect(store.status.sync).toBe("resyncing");
  });

  it("ignores a delta it already has", () => {
    const { store, resyncs, frame } = setup();
    store.applySnapshot(snapshot(5, [agent("a", { status: "BUSY" })]));
    store.receiveDelta(delta(4, 5, [agent("a", { status: "FREE" })]));
    frame();
    expect(store.getAgent("a")?.status).toBe("BUSY");
    expect(resyncs).toEqual([]);
  });

  it("keeps the feed newest first, capped, with one copy per frame", () => {
    let scheduled: (() => void) | undefined;
    const store = new FloorClientStore({
      schedule: (flush) => {
        scheduled = flush;
        return () => (scheduled = undefined);
      },
      listIntervalMs: 0,
      feedSize: 3,
      now: () => T0,
    });
    store.applySnapshot(snapshot(0, [agent("a"), agent("b"), agent("c")]));
    store.receiveDelta(delta(1, 1, [agent("a", { status: "BUSY" })]));
    store.receiveDelta(delta(2, 2, [agent("b", { status: "REST" })]));
    scheduled?.();
    expect(store.recentChanges.map((c) => c.agentId)).toEqual(["b", "a"]);
    store.receiveDelta(
      delta(3, 3, [agent("c", { status: "BUSY" }), agent("a", { status: "REST" })]),
    );
    scheduled?.();
    expect(store.recentChanges.map((c) => [c.agentId, c.to])).toEqual([
      ["a", "REST"],
      ["c", "BUSY"],
      ["b", "REST"],
    ]);
    const keys = store.recentChanges.map((c) => c.key);
    expect(new Set(keys).size).toBe(3);
    store.receiveDelta(
      delta(4, 4, [
        agent("a", { status: "FREE" }),
        agent("b", { status: "FREE" }),
        agent("c", { status: "FREE" }),
        agent("a", { status: "BUSY" }),
      ]),
    );
    scheduled?.();
    expect(store.recentChanges).toHaveLength(3);
    expect(store.recentChanges[0]).toMatchObject({ agentId: "a", to: "BUSY" });
  });

  it("moves the roster version on joins, leaves and renames, not on status changes", () => {
    const { store, frame } = setup();
    store.applySnapshot(snapshot(0, [agent("a"), agent("b")]));
    const v0 = store.rosterVersion;
    store.receiveDelta(delta(1, 1, [agent("a", { status: "BUSY", statusSince: T0 + 5 })]));
    frame();
    expect(store.rosterVersion).toBe(v0);
    store.receiveDelta(delta(2, 2, [agent("c")]));
    frame();
    const v1 = store.rosterVersion;
    expect(v1).toBeGreaterThan(v0);
    store.receiveDelta(delta(3, 3, [agent("b", { name: "renamed" })]));
    frame();
    const v2 = store.rosterVersion;
    expect(v2).toBeGreaterThan(v1);
    store.receiveDelta({ ...delta(4, 4, []), removedAgents: ["c"] });
    frame();
    expect(store.rosterVersion).toBeGreaterThan(v2);
    expect(store.size).toBe(2);
  });
});
