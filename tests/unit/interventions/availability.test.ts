import { describe, expect, it } from "vitest";
import {
  interventionAvailability,
  mayIntervene,
  type TAvailabilityInput,
} from "@/lib/interventions/availability";
import type { TInterventionView } from "@/lib/interventions/types";

const SUPERVISOR = { kind: "user", role: "supervisor", companies: ["90001"] } as const;

function input(overrides: Partial<TAvailabilityInput> = {}): TAvailabilityInput {
  return {
    operation: "interrupt_call",
    principal: SUPERVISOR,
    companyCode: "90001",
    seat: { state: "linked", agentId: "90001_20004", agentStatus: "FREE" },
    target: { agentId: "90001_20001", status: "CALLING", uuid: "call-1", stale: false },
    live: true,
    active: undefined,
    ...overrides,
  };
}

const ACTIVE: TInterventionView = {
  id: "i1",
  companyCode: "90001",
  operation: "substitute",
  actorId: "u2",
  actorName: "lead",
  seatAgentId: "90001_20029",
  targetAgentId: "90001_20001",
  callUuid: "call-1",
  reason: "",
  stage: "sent",
  requestedAt: 1,
  updatedAt: 1,
  timeline: [],
};

function reason(overrides: Partial<TAvailabilityInput>) {
  const result = interventionAvailability(input(overrides));
  return result.enabled ? "enabled" : result.reason;
}

describe("interventionAvailability", () => {
  it("is enabled for a supervisor with a ready seat and a target on a call", () => {
    expect(interventionAvailability(input())).toEqual({ enabled: true });
    expect(reason({ operation: "substitute" })).toBe("enabled");
    expect(reason({ seat: { state: "linked", agentId: "90001_20004", agentStatus: "BUSY" } })).toBe(
      "enabled",
    );
    expect(reason({ principal: { kind: "user", role: "admin", companies: "all" } })).toBe(
      "enabled",
    );
  });

  it("is refused to viewers, displays and other companies", () => {
    expect(reason({ principal: { kind: "user", role: "viewer", companies: ["90001"] } })).toBe(
      "role",
    );
    expect(reason({ principal: { kind: "display", role: "display", companies: ["90001"] } })).toBe(
      "role",
    );
    expect(reason({ principal: { ...SUPERVISOR, companies: ["90002"] } })).toBe("company");
    expect(mayIntervene({ kind: "user", role: "viewer", companies: "all" })).toBe(false);
    expect(mayIntervene({ kind: "user", role: "admin", companies: "all" })).toBe(true);
  });

  it("needs the target CALLING; hang-up also while RINGING, take over not", () => {
    const ringing = {
      agentId: "90001_20001",
      status: "RINGING",
      uuid: "call-1",
      stale: false,
    } as const;
    expect(reason({ target: ringing })).toBe("enabled");
    expect(reason({ target: ringing, operation: "substitute" })).toBe("not_answered");
    for (const status of ["FREE", "BUSY", "REST", "ARRANGE", "OFFLINE"] as const)
      expect(reason({ target: { agentId: "90001_20001", status, stale: false } })).toBe(
        "not_in_call",
      );
    expect(reason({ target: { agentId: "a", status: "CALLING", stale: false } })).toBe(
      "not_in_call",
    );
    expect(reason({ target: undefined })).toBe("unknown_agent");
  });

  it("is refused while another intervention is in progress on the call, naming who and what", () => {
    expect(interventionAvailability(input({ active: ACTIVE }))).toEqual({
      enabled: false,
      reason: "in_progress",
      values: { name: "lead", operation: "substitute", stage: "sent" },
    });
  });

  it("is refused for a call the target is no longer on, a floor that is not live, or a stale agent", () => {
    expect(reason({ callUuid: "call-2" })).toBe("other_call");
    expect(reason({ callUuid: "call-1" })).toBe("enabled");
    expect(reason({ live: false })).toBe("not_live");
    expect(
      reason({
        target: { agentId: "90001_20001", status: "CALLING", uuid: "call-1", stale: true },
      }),
    ).toBe("not_live");
  });

  it("needs the seat linked, its agent FREE or BUSY, and not the target itself", () => {
    expect(reason({ seat: undefined })).toBe("seat_unknown");
    expect(reason({ seat: { state: "unlinked" } })).toBe("seat_unlinked");
    expect(reason({ seat: { state: "lost", agentId: "90001_20004" } })).toBe("seat_unlinked");
    expect(reason({ seat: { state: "linking", agentId: "90001_20004" } })).toBe("seat_linking");
    expect(
      interventionAvailability(
        input({ seat: { state: "linked", agentId: "90001_20004", agentStatus: "REST" } }),
      ),
    ).toEqual({ enabled: false, reason: "seat_not_ready", values: { status: "REST" } });
    expect(reason({ seat: { state: "linked", agentId: "90001_20004" } })).toBe("seat_not_ready");
    expect(
      reason({
        target: { agentId: "90001_20004", status: "CALLING", uuid: "call-1", stale: false },
      }),
    ).toBe("self");
  });
});
