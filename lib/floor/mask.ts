import { maskNumber } from "@/lib/auth/viewer";
import { isInternalId } from "./reducer";
import type { TFloorAgent, TFloorCall, TFloorDelta, TFloorSnapshot } from "./types";

/** Customer numbers masked; agent and extension ids stay readable. */
export function maskNumbers(numbers: readonly string[]): string[] {
  return numbers.map((n) => (isInternalId(n) ? n : maskNumber(n)));
}

export function maskAgent(agent: TFloorAgent): TFloorAgent {
  return agent.numbers.length === 0 ? agent : { ...agent, numbers: maskNumbers(agent.numbers) };
}

export function maskCall(call: TFloorCall): TFloorCall {
  return call.customerNumber === undefined
    ? call
    : { ...call, customerNumber: maskNumber(call.customerNumber) };
}

export function maskDelta(delta: TFloorDelta): TFloorDelta {
  return { ...delta, agents: delta.agents.map(maskAgent), calls: delta.calls.map(maskCall) };
}

export function maskSnapshot(snapshot: TFloorSnapshot): TFloorSnapshot {
  return {
    ...snapshot,
    agents: snapshot.agents.map(maskAgent),
    calls: snapshot.calls.map(maskCall),
  };
}
