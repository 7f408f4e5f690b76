import "server-only";
import type { TFloorAgent, TFloorCall, TFloorDelta } from "@/lib/floor/types";
import type { FloorStore, TFloorChange } from "./store";

/**
 * Coalesces a store's changes per agent and per call and hands out one delta per window
 * (default 50 ms): a busy floor costs the browsers one message per window, not one per change.
 */
export class DeltaBatcher {
  private fromSeq: number | undefined;
  private toSeq = 0;
  private readonly agents = new Map<string, TFloorAgent | null>();
  private readonly calls = new Map<string, TFloorCall | null>();
  private timer: NodeJS.Timeout | undefined;
  private sentSeq: number;
  private readonly onChange = (change: TFloorChange) => this.add(change);

  constructor(
    private readonly store: FloorStore,
    private readonly send: (delta: TFloorDelta) => void,
    private readonly windowMs = 50,
  ) {
    this.sentSeq = store.seq;
    store.on("change", this.onChange);
  }

  /** The last seq handed out: what heartbeats announce, so a browser never waits for an unsent delta. */
  get lastSentSeq(): number {
    return this.sentSeq;
  }

  stop(): void {
    this.store.off("change", this.onChange);
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.fromSeq === undefined) return;
    const delta: TFloorDelta = {
      companyCode: this.store.companyCode,
      epoch: this.store.epoch,
      fromSeq: this.fromSeq,
      toSeq: this.toSeq,
      serverTime: Date.now(),
      agents: [],
      removedAgents: [],
      calls: [],
      removedCalls: [],
    };
    for (const [id, agent] of this.agents) {
      if (agent) delta.agents.push(agent);
      else delta.removedAgents.push(id);
    }
    for (const [uuid, call] of this.calls) {
      if (call) delta.calls.push(call);
      else delta.removedCalls.push(uuid);
    }
    this.agents.clear();
    this.calls.clear();
    this.fromSeq = undefined;
    this.sentSeq = delta.toSeq;
    this.send(delta);
  }

  private add(change: TFloorChange): void {
    this.fromSeq ??= change.seq;
    this.toSeq = change.seq;
    for (const agent of change.agents) this.agents.set(agent.agentId, agent);
    for (const id of change.removedAgents) this.agents.set(id, null);
    for (const call of change.calls) this.calls.set(call.uuid, call);
    for (const uuid of change.removedCalls) this.calls.set(uuid, null);
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.windowMs);
    }
  }
}
