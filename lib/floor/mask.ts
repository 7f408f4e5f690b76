import { maskNumber } from "@/lib/auth/viewer";
import type { TFloorAgent, TFloorCall, TFloorDelta, TFloorSnapshot } from "./types";

/**
 * Below this many characters a number is masked whole: showing two digits of an extension or a
 * service number leaves too few to guess, and a fixed mask does not give away its length.
 */
const SHORT_NUMBER = 7;
const SHORT_MASK = "****";

/** `13812345678` → `138****5678`, `12345678` → `12***78`, `8001` → `****`. */
export function maskCustomerNumber(number: string): string {
  return number.trim().length < SHORT_NUMBER ? SHORT_MASK : maskNumber(number);
}

/**
 * The company's agent and extension ids (`knownIds`, from its roster) stay readable; every other
 * number is a customer's and is masked, whatever its shape: `0086_13812345678` looks like an id
 * and is not one.
 */
export function maskNumbers(numbers: readonly string[], knownIds: ReadonlySet<string>): string[] {
  return numbers.map((n) => (knownIds.has(n) ? n : maskCustomerNumber(n)));
}

export function maskAgent(agent: TFloorAgent, knownIds: ReadonlySet<string>): TFloorAgent {
  return agent.numbers.length === 0
    ? agent
    : { ...agent, numbers: maskNumbers(agent.numbers, knownIds) };
}

/** A call's customer number is never a known id (deriveCall), so it is always masked. */
export function maskCall(call: TFloorCall): TFloorCall {
  return call.customerNumber === undefined
    ? call
    : { ...call, customerNumber: maskCustomerNumber(call.customerNumber) };
}

export function maskDelta(delta: TFloorDelta, knownIds: ReadonlySet<string>): TFloorDelta {
  return {
    ...delta,
    agents: delta.agents.map((a) => maskAgent(a, knownIds)),
    calls: delta.calls.map(maskCall),
  };
}

export function maskSnapshot(
  snapshot: TFloorSnapshot,
  knownIds: ReadonlySet<string>,
): TFloorSnapshot {
  return {
    ...snapshot,
    agents: snapshot.agents.map((a) => maskAgent(a, knownIds)),
    calls: snapshot.calls.map(maskCall),
  };
}
