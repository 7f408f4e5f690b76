import type { TFloorAgent, TFloorCall } from "@/lib/floor/types";

/** A call in progress on the "longest" page: who is on it and since when (server clock). */
export interface TLongCall {
  uuid: string;
  since: number;
  state: TFloorCall["state"];
  agents: { agentId: string; name: string }[];
  /** As the server sent it (masked for displays). */
  customerNumber: string | undefined;
}

/** The `limit` longest answered calls, longest first (talking since it was answered). */
export function longestCalls(
  calls: readonly TFloorCall[],
  agents: ReadonlyMap<string, TFloorAgent>,
  limit: number,
): TLongCall[] {
  return calls
    .filter((call) => call.state !== "ringing")
    .map((call) => ({
      uuid: call.uuid,
      since: call.answeredAt ?? call.startedAt,
      state: call.state,
      agents: call.agentIds.map((agentId) => ({
        agentId,
        name: agents.get(agentId)?.name ?? agentId,
      })),
      customerNumber: call.customerNumber,
    }))
    .sort((a, b) => a.since - b.since || (a.uuid < b.uuid ? -1 : 1))
    .slice(0, limit);
}

/** The `limit` agents ringing longest, longest first. */
export function longestRings(agents: readonly TFloorAgent[], limit: number): TFloorAgent[] {
  return agents
    .filter((agent) => agent.status === "RINGING")
    .sort((a, b) => a.statusSince - b.statusSince || (a.agentId < b.agentId ? -1 : 1))
    .slice(0, limit);
}
