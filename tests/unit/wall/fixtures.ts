import { rosterAgent } from "@/lib/floor/reducer";
import type { TFloorAgent, TFloorCall } from "@/lib/floor/types";

export const T0 = 1_700_000_000_000;

export function agent(id: string, overrides: Partial<TFloorAgent> = {}): TFloorAgent {
  return {
    ...rosterAgent({ agentId: id, name: id, extId: id, skills: ["s1"], status: "FREE", now: T0 }),
    ...overrides,
  };
}

export function call(uuid: string, overrides: Partial<TFloorCall> = {}): TFloorCall {
  return { uuid, agentIds: ["a1"], state: "talking", startedAt: T0, answeredAt: T0, ...overrides };
}
