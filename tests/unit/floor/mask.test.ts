import { describe, expect, it } from "vitest";
import {
  maskAgent,
  maskCall,
  maskCustomerNumber,
  maskDelta,
  maskNumbers,
  maskSnapshot,
} from "@/lib/floor/mask";
import { rosterAgent } from "@/lib/floor/reducer";
import type { TFloorAgent, TFloorCall, TFloorDelta, TFloorSnapshot } from "@/lib/floor/types";

const T0 = 1_700_000_000_000;

/** The company's roster: two agents, one with a short extension that is not id-shaped. */
const KNOWN: ReadonlySet<string> = new Set(["90001_20000", "90001_20001", "8002"]);

/** Customer numbers as they really reach the floor, and what a viewer must see of each. */
const CUSTOMER_FORMS: [string, string][] = [
  ["+86 138 1234 5678", "+86****5678"],
  ["0086 13812345678", "008****5678"],
  ["0086_13812345678", "008****5678"],
  ["138-1234-5678", "138****5678"],
  ["13812345678", "138****5678"],
  ["010-12345678-801", "010****-801"],
  ["01012345678#801", "010****#801"],
  ["12345678", "12***78"],
  ["8001", "****"],
  ["110", "****"],
  ["95588", "****"],
  // Id-shaped, but not this company's: another company's agent is not ours to show.
  ["90002_20000", "900****0000"],
];

function agent(numbers: string[]): TFloorAgent {
  return {
    ...rosterAgent({
      agentId: "90001_20000",
      name: "张三",
      extId: "90001_20000",
      skills: ["9000101"],
      status: "CALLING",
      now: T0,
    }),
    uuid: "call-1",
    numbers,
  };
}

const CALL: TFloorCall = {
  uuid: "call-1",
  agentIds: ["90001_20000"],
  state: "talking",
  startedAt: T0,
  customerNumber: "0086_13812345678",
};

describe("maskCustomerNumber", () => {
  it.each(CUSTOMER_FORMS)("masks %s as %s", (number, masked) => {
    expect(maskCustomerNumber(number)).toBe(masked);
  });

  it("never shows a number in full, nor its subscriber digits", () => {
    for (const [number] of CUSTOMER_FORMS) {
      const masked = maskCustomerNumber(number);
      expect(masked).not.toBe(number);
      expect(masked).not.toContain("1234");
    }
  });

  it("masks a short number whole, whatever its length or spacing", () => {
    for (const number of ["1", "12", "801", "8001", "80012", "800123", " 8001 "])
      expect(maskCustomerNumber(number)).toBe("****");
  });
});

describe("maskNumbers", () => {
  it("shows the company's known agent and extension ids, and masks every other number", () => {
    const numbers = ["90001_20001", ...CUSTOMER_FORMS.map(([n]) => n), "8002", "90001_20000"];
    expect(maskNumbers(numbers, KNOWN)).toEqual([
      "90001_20001",
      ...CUSTOMER_FORMS.map(([, masked]) => masked),
      "8002",
      "90001_20000",
    ]);
  });

  it("masks everything when no id is known (no roster yet)", () => {
    expect(maskNumbers(["90001_20001", "8002"], new Set())).toEqual(["900****0001", "****"]);
  });
});

describe("maskAgent, maskCall, maskDelta, maskSnapshot", () => {
  it("masks an agent's customer numbers and a call's customer number", () => {
    const masked = maskAgent(agent(["90001_20001", "0086_13812345678", "8001", "8002"]), KNOWN);
    expect(masked.numbers).toEqual(["90001_20001", "008****5678", "****", "8002"]);
    expect(maskCall(CALL).customerNumber).toBe("008****5678");
  });

  it("masks every agent and call of a delta and of a snapshot", () => {
    const agents = [agent(["0086_13812345678", "90001_20001"])];
    const delta: TFloorDelta = {
      companyCode: "90001",
      epoch: "e",
      fromSeq: 1,
      toSeq: 1,
      serverTime: T0,
      agents,
      removedAgents: [],
      calls: [CALL],
      removedCalls: [],
    };
    const snapshot: TFloorSnapshot = {
      companyCode: "90001",
      epoch: "e",
      seq: 1,
      serverTime: T0,
      pollIntervalMs: 2000,
      link: { state: "up", since: T0 },
      skills: [],
      agents,
      calls: [CALL],
    };
    for (const masked of [maskDelta(delta, KNOWN), maskSnapshot(snapshot, KNOWN)]) {
      expect(JSON.stringify(masked)).not.toContain("13812345678");
      expect(masked.agents[0]?.numbers).toEqual(["008****5678", "90001_20001"]);
      expect(masked.calls[0]?.customerNumber).toBe("008****5678");
    }
  });
});
