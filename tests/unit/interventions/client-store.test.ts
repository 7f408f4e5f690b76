import { describe, expect, it } from "vitest";
import { InterventionClientStore } from "@/lib/interventions/client-store";
import type { TInterventionView, TStage } from "@/lib/interventions/types";

const T0 = 1_700_000_000_000;

function view(
  id: string,
  stage: TStage,
  overrides: Partial<TInterventionView> = {},
): TInterventionView {
  return {
    id,
    companyCode: "90001",
    operation: "interrupt_call",
    actorId: "u1",
    actorName: "supervisor",
    seatAgentId: "90001_20004",
    targetAgentId: "90001_20001",
    callUuid: "call-1",
    reason: "",
    stage,
    requestedAt: T0,
    updatedAt: T0,
    timeline: [],
    ...overrides,
  };
}

function counter() {
  let count = 0;
  return {
    listener: () => {
      count += 1;
    },
    get count() {
      return count;
    },
  };
}

describe("InterventionClientStore", () => {
  it("looks an intervention in progress up by call and by target agent, until it finishes", () => {
    const store = new InterventionClientStore();
    store.upsert(view("i1", "requested"));
    expect(store.activeForCall("call-1")?.id).toBe("i1");
    expect(store.activeForAgent("90001_20001")?.id).toBe("i1");

    store.upsert(view("i1", "sent", { updatedAt: T0 + 10 }));
    expect(store.activeForCall("call-1")?.stage).toBe("sent");

    store.upsert(view("i1", "confirmed", { updatedAt: T0 + 20 }));
    expect(store.activeForCall("call-1")).toBeUndefined();
    expect(store.activeForAgent("90001_20001")).toBeUndefined();
    expect(store.get("i1")?.stage).toBe("confirmed");
  });

  it("ignores a copy older than the one it holds (socket before the action's answer, or the reverse)", () => {
    const store = new InterventionClientStore();
    store.upsert(view("i1", "confirmed", { updatedAt: T0 + 20 }));
    expect(store.upsert(view("i1", "acked", { updatedAt: T0 + 10 }))).toBe(false);
    expect(store.get("i1")?.stage).toBe("confirmed");
    expect(store.activeForCall("call-1")).toBeUndefined();
  });

  it("at the same time, a later stage wins and a final stage is never undone", () => {
    const store = new InterventionClientStore();
    store.upsert(view("i1", "sent"));
    expect(store.upsert(view("i1", "acked"))).toBe(true);
    expect(store.upsert(view("i1", "requested"))).toBe(false);
    store.upsert(view("i1", "failed"));
    expect(store.upsert(view("i1", "acked"))).toBe(false);
    expect(store.get("i1")?.stage).toBe("failed");
  });

  it("notifies the rows of the call and agent concerned only", () => {
    const store = new InterventionClientStore();
    const call1 = counter();
    const call2 = counter();
    const agent1 = counter();
    const agent2 = counter();
    store.subscribeCall("call-1", call1.listener);
    store.subscribeCall("call-2", call2.listener);
    store.subscribeAgent("90001_20001", agent1.listener);
    const off = store.subscribeAgent("90001_20002", agent2.listener);

    store.upsert(view("i1", "requested"));
    store.upsert(view("i1", "sent", { updatedAt: T0 + 1 }));
    store.upsert(view("i1", "confirmed", { updatedAt: T0 + 2 }));
    expect(call1.count).toBe(3);
    expect(agent1.count).toBe(3);
    expect(call2.count).toBe(0);
    expect(agent2.count).toBe(0);

    // An ignored (older) copy notifies nobody.
    store.upsert(view("i1", "sent", { updatedAt: T0 + 1 }));
    expect(call1.count).toBe(3);

    off();
    store.upsert(view("i2", "requested", { targetAgentId: "90001_20002", callUuid: "call-2" }));
    expect(agent2.count).toBe(0);
    expect(call2.count).toBe(1);
  });

  it("keeps identities stable between changes (useSyncExternalStore)", () => {
    const store = new InterventionClientStore();
    store.upsert(view("i1", "requested"));
    const list = store.list();
    const active = store.activeForCall("call-1");
    expect(store.list()).toBe(list);
    expect(store.activeForCall("call-1")).toBe(active);
    store.upsert(view("i2", "requested", { callUuid: "call-2", requestedAt: T0 + 5 }));
    expect(store.list()).not.toBe(list);
    expect(store.list().map((v) => v.id)).toEqual(["i2", "i1"]);
    expect(store.activeForCall("call-1")).toBe(active);
  });

  it("a list load drops interventions it no longer holds in progress, but not those that arrived live meanwhile", () => {
    const store = new InterventionClientStore();
    store.upsert(view("gone", "sent", { callUuid: "call-gone", targetAgentId: "a-gone" }));
    store.upsert(view("done", "confirmed", { callUuid: "call-done" }));
    store.beginLoad();
    store.upsert(view("live", "requested", { callUuid: "call-live", targetAgentId: "a-live" }));
    store.applyList([view("listed", "acked", { callUuid: "call-listed", targetAgentId: "a-l" })], {
      reasonRequired: true,
    });
    expect(store.get("gone")).toBeUndefined();
    expect(store.activeForCall("call-gone")).toBeUndefined();
    expect(store.activeForAgent("a-gone")).toBeUndefined();
    expect(store.get("done")?.stage).toBe("confirmed");
    expect(store.activeForCall("call-live")?.id).toBe("live");
    expect(store.activeForCall("call-listed")?.id).toBe("listed");
    expect(store.settings()).toEqual({ reasonRequired: true });
  });

  it("a list that predates a live update does not roll it back", () => {
    const store = new InterventionClientStore();
    store.beginLoad();
    store.upsert(view("i1", "confirmed", { updatedAt: T0 + 50 }));
    store.applyList([view("i1", "sent", { updatedAt: T0 + 10 })]);
    expect(store.get("i1")?.stage).toBe("confirmed");
    expect(store.activeForCall("call-1")).toBeUndefined();
  });

  it("keeps every intervention in progress and only the newest finished ones", () => {
    const store = new InterventionClientStore({ keepFinished: 2 });
    store.upsert(view("old-active", "sent", { requestedAt: T0 - 100, callUuid: "c0" }));
    for (let i = 1; i <= 4; i += 1)
      store.upsert(view(`f${i}`, "confirmed", { requestedAt: T0 + i, callUuid: `c${i}` }));
    expect(store.list().map((v) => v.id)).toEqual(["f4", "f3", "old-active"]);
    expect(store.activeForCall("c0")?.id).toBe("old-active");
  });

  it("tells list subscribers of settings changes, once per change", () => {
    const store = new InterventionClientStore();
    const list = counter();
    store.subscribeList(list.listener);
    store.setSettings({ reasonRequired: false });
    store.setSettings({ reasonRequired: false });
    store.setSettings({ reasonRequired: true });
    expect(list.count).toBe(2);
    expect(store.settings()?.reasonRequired).toBe(true);
  });
});
