import { describe, expect, it } from "vitest";
import type { TFloorDelta, TLinkState } from "@/lib/floor/types";
import { CompanyReplica } from "@/server/cluster/replica";
import type { TStoredFloor } from "@/server/cluster/messages";

const LINK: TLinkState = { state: "up", since: 1 };

function stored(term: number, epoch: string, seq: number): TStoredFloor {
  return {
    v: 1,
    node: "leader",
    term,
    companyCode: "90001",
    epoch,
    seq,
    storedAt: 1,
    link: LINK,
    skills: [],
    agents: [],
    calls: [],
  };
}

function delta(epoch: string, fromSeq: number, toSeq: number): TFloorDelta {
  return {
    companyCode: "90001",
    epoch,
    fromSeq,
    toSeq,
    serverTime: 1,
    agents: [],
    removedAgents: [],
    calls: [],
    removedCalls: [],
  };
}

/** A replica over a fake node: what it applied, and a stored floor the test sets. */
function harness() {
  const node = {
    epoch: "old",
    seq: 0,
    applied: [] as string[],
    stored: undefined as TStoredFloor | undefined,
    wants: 0,
    resyncs: [] as string[],
    fetches: [] as ((value: TStoredFloor | undefined) => void)[],
    manual: false,
  };
  const replica = new CompanyReplica({
    companyCode: "90001",
    fetchStored: () =>
      node.manual
        ? new Promise((resolve) => node.fetches.push(resolve))
        : Promise.resolve(node.stored),
    want: () => (node.wants += 1),
    replicate: (s) => {
      node.epoch = s.epoch;
      node.seq = s.seq;
      node.applied.push(`floor ${s.epoch}@${s.seq}`);
    },
    replicateDelta: (d) => {
      node.seq = Math.max(node.seq, d.toSeq);
      node.applied.push(`delta ${d.epoch} ${d.fromSeq}-${d.toSeq}`);
    },
    position: () => ({ epoch: node.epoch, seq: node.seq }),
    resynced: (reason) => node.resyncs.push(reason),
  });
  return { node, replica };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const from = (term: number) => ({ v: 1 as const, node: "leader", term });

describe("CompanyReplica", () => {
  it("goes live from the stored floor and the deltas held meanwhile, then follows deltas in order", async () => {
    const { node, replica } = harness();
    node.stored = stored(1, "e1", 10);
    replica.receive({ ...from(1), kind: "delta", delta: delta("e1", 11, 12) });
    await flush();
    expect(node.applied).toEqual(["floor e1@10", "delta e1 11-12"]);
    expect(replica.isLive).toBe(true);
    replica.receive({ ...from(1), kind: "delta", delta: delta("e1", 13, 14) });
    expect(node.applied.at(-1)).toBe("delta e1 13-14");
    expect(node.resyncs).toEqual([]);
  });

  it("never applies a stored floor behind the leader's word: it asks for a newer one", async () => {
    const { node, replica } = harness();
    node.stored = stored(1, "e1", 10);
    replica.receive({
      ...from(1),
      kind: "heartbeat",
      heartbeat: { companyCode: "90001", epoch: "e1", seq: 15, serverTime: 1, link: LINK },
    });
    await flush();
    expect(node.applied).toEqual([]);
    expect(node.wants).toBe(1);
    node.stored = stored(1, "e1", 15);
    replica.receive({ ...from(1), kind: "stored", epoch: "e1", seq: 15 });
    await flush();
    expect(node.applied).toEqual(["floor e1@15"]);
  });

  it("a gap makes it fetch the stored floor again", async () => {
    const { node, replica } = harness();
    node.stored = stored(1, "e1", 10);
    replica.receive({ ...from(1), kind: "stored", epoch: "e1", seq: 10 });
    await flush();
    node.stored = stored(1, "e1", 20);
    replica.receive({ ...from(1), kind: "delta", delta: delta("e1", 18, 20) });
    await flush();
    expect(node.resyncs).toEqual(["gap"]);
    expect(node.applied).toEqual(["floor e1@10", "floor e1@20"]);
  });

  it("drops an older leader's messages and starts over on a newer leader's epoch", async () => {
    const { node, replica } = harness();
    node.stored = stored(2, "e2", 5);
    replica.receive({ ...from(2), kind: "stored", epoch: "e2", seq: 5 });
    await flush();
    replica.receive({ ...from(1), kind: "delta", delta: delta("e1", 6, 7) });
    expect(node.applied).toEqual(["floor e2@5"]);
    node.stored = stored(3, "e3", 0);
    replica.receive({ ...from(3), kind: "stored", epoch: "e3", seq: 0 });
    await flush();
    expect(node.resyncs).toEqual(["term"]);
    expect(node.applied).toEqual(["floor e2@5", "floor e3@0"]);
  });

  it("a notice that arrives during a fetch is read again once the fetch is back", async () => {
    const { node, replica } = harness();
    node.manual = true;
    replica.receive({ ...from(1), kind: "stored", epoch: "e1", seq: 3 });
    replica.receive({ ...from(1), kind: "stored", epoch: "e1", seq: 4 });
    expect(node.fetches).toHaveLength(1);
    node.fetches.shift()!(stored(1, "e1", 3));
    await flush();
    expect(node.fetches).toHaveLength(1);
    node.fetches.shift()!(stored(1, "e1", 4));
    await flush();
    expect(node.applied).toEqual(["floor e1@4"]);
  });

  it("shows the leader's link while it speaks, and 'connecting' once it is silent", async () => {
    const { replica } = harness();
    replica.receive(
      {
        ...from(1),
        kind: "heartbeat",
        heartbeat: { companyCode: "90001", epoch: "e1", seq: 0, serverTime: 1, link: LINK },
      },
      1000,
    );
    expect(replica.linkState(2000)).toEqual(LINK);
    expect(replica.linkState(1000 + 3001).state).toBe("connecting");
    replica.stop();
  });
});
