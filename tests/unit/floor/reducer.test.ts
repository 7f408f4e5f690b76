import { describe, expect, it } from "vitest";
import {
  agentContentChanged,
  applyObservation,
  callKeyOf,
  deriveCall,
  isOutdated,
  rosterAgent,
  type TObservation,
} from "@/lib/floor/reducer";
import type { TFloorAgent } from "@/lib/floor/types";

const T0 = 1_700_000_000_000;
/** The company's agent and extension ids, from its roster. */
const KNOWN: ReadonlySet<string> = new Set(["90001_20000", "90001_20001", "8002"]);

function agent(overrides: Partial<TFloorAgent> = {}): TFloorAgent {
  return {
    ...rosterAgent({
      agentId: "90001_20000",
      name: "张三",
      extId: "90001_20000",
      skills: ["9000101"],
      status: "FREE",
      now: T0,
    }),
    ...overrides,
  };
}

function obs(overrides: Partial<TObservation> = {}): TObservation {
  return {
    agentId: "90001_20000",
    status: "FREE",
    numbers: [],
    observedAt: T0 + 1000,
    via: "poll",
    ...overrides,
  };
}

describe("applyObservation", () => {
  it("confirms without a visible change when nothing moved", () => {
    const prev = agent();
    const next = applyObservation(prev, obs(), T0 + 1000);
    expect(next.confirmedAt).toBe(T0 + 1000);
    expect(next.via).toBe("poll");
    expect(agentContentChanged(prev, next)).toBe(false);
  });

  it("takes the status start from the CTI's status_time", () => {
    const next = applyObservation(
      agent(),
      obs({ status: "BUSY", statusTime: T0 + 400 }),
      T0 + 1000,
    );
    expect(next.status).toBe("BUSY");
    expect(next.statusSince).toBe(T0 + 400);
  });

  it("starts the status at the push timestamp only when the status changed", () => {
    const ringing = applyObservation(
      agent(),
      obs({ status: "RINGING", changedAt: T0 + 700, via: "push", uuid: "call-a" }),
      T0 + 900,
    );
    expect(ringing.statusSince).toBe(T0 + 700);
    const held = applyObservation(
      { ...ringing, status: "CALLING" },
      obs({
        status: "CALLING",
        subStatus: "HOLD",
        changedAt: T0 + 5000,
        via: "push",
        uuid: "call-a",
      }),
      T0 + 6000,
    );
    expect(held.statusSince).toBe(T0 + 700);
    expect(held.subStatus).toBe("HOLD");
  });

  it("never dates a status in the future", () => {
    const next = applyObservation(
      agent(),
      obs({ status: "BUSY", statusTime: T0 + 99_000 }),
      T0 + 1000,
    );
    expect(next.statusSince).toBe(T0 + 1000);
  });

  it("drops call fields outside a call and sub-states outside CALLING", () => {
    const next = applyObservation(
      agent(),
      obs({ status: "BUSY", subStatus: "HOLD", uuid: "call-x", numbers: ["138"] }),
      T0 + 1000,
    );
    expect(next.uuid).toBeUndefined();
    expect(next.numbers).toEqual([]);
    expect(next.subStatus).toBeUndefined();
  });

  it("clears staleness on confirmation", () => {
    const next = applyObservation(agent({ stale: true }), obs(), T0 + 1000);
    expect(next.stale).toBe(false);
  });
});

describe("isOutdated", () => {
  it("ignores a poll answer sent before the last applied push", () => {
    expect(isOutdated(obs({ observedAt: T0 }), T0 + 10)).toBe(true);
    expect(isOutdated(obs({ observedAt: T0 + 20 }), T0 + 10)).toBe(false);
    expect(isOutdated(obs({ via: "push", observedAt: T0 }), T0 + 10)).toBe(false);
    expect(isOutdated(obs(), undefined)).toBe(false);
  });
});

describe("calls", () => {
  it("keys an agent's call by its uuid only while ringing or talking", () => {
    expect(callKeyOf(agent({ status: "RINGING", uuid: "call-1" }))).toBe("call-1");
    expect(callKeyOf(agent({ status: "CALLING" }))).toBe("agent:90001_20000");
    expect(callKeyOf(agent({ status: "ARRANGE", uuid: "call-1" }))).toBeUndefined();
  });

  it("derives state, customer number and times from its agents", () => {
    const a = agent({
      status: "CALLING",
      subStatus: "HOLD",
      uuid: "call-1",
      statusSince: T0 + 50,
      numbers: ["90001_20000", "13107618845"],
    });
    const b = agent({
      agentId: "90001_20001",
      status: "RINGING",
      uuid: "call-1",
      statusSince: T0 + 20,
      numbers: [],
    });
    const call = deriveCall("call-1", [a, b], undefined, KNOWN);
    expect(call).toEqual({
      uuid: "call-1",
      agentIds: ["90001_20000", "90001_20001"],
      state: "hold",
      startedAt: T0 + 20,
      answeredAt: T0 + 50,
      customerNumber: "13107618845",
    });
    expect(deriveCall("call-1", [b], undefined, KNOWN)?.state).toBe("ringing");
    expect(deriveCall("call-1", [{ ...a, subStatus: "THREE_WAY" }], undefined, KNOWN)?.state).toBe(
      "three_way",
    );
    expect(deriveCall("call-1", [{ ...a, subStatus: "CONSULT" }], undefined, KNOWN)?.state).toBe(
      "consult",
    );
    expect(deriveCall("call-1", [], undefined, KNOWN)).toBeUndefined();
  });

  it("keeps the earliest start and first answer across updates", () => {
    const first = deriveCall(
      "c",
      [agent({ status: "RINGING", uuid: "c", statusSince: T0 })],
      undefined,
      KNOWN,
    );
    const second = deriveCall(
      "c",
      [agent({ status: "CALLING", uuid: "c", statusSince: T0 + 3000 })],
      first,
      KNOWN,
    );
    expect(second?.startedAt).toBe(T0);
    expect(second?.answeredAt).toBe(T0 + 3000);
    expect(second?.state).toBe("talking");
  });
});

describe("customer number", () => {
  const onCall = (numbers: string[]) => [agent({ status: "CALLING", uuid: "c", numbers })];

  it("is the first number that is not a known id, whatever its shape", () => {
    const customer = (numbers: string[]) =>
      deriveCall("c", onCall(numbers), undefined, KNOWN)?.customerNumber;
    expect(customer(["90001_20001", "0086_13812345678"])).toBe("0086_13812345678");
    expect(customer(["8002", "90001_20000", "+86 138 1234 5678"])).toBe("+86 138 1234 5678");
    expect(customer(["90001_20001", "8001", "13812345678"])).toBe("8001");
    expect(customer(["90002_20000", "13812345678"])).toBe("90002_20000");
    expect(customer(["90001_20001", "8002"])).toBeUndefined();
  });

  it("takes nothing for granted without a roster: every number may be the customer", () => {
    expect(deriveCall("c", onCall(["90001_20001"]), undefined, new Set())?.customerNumber).toBe(
      "90001_20001",
    );
  });
});
