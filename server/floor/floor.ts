import "server-only";
import { EventEmitter } from "node:events";
import type { TFloorDelta, TFloorHeartbeat, TFloorSnapshot, TLinkState } from "@/lib/floor/types";
import { metrics } from "@/server/metrics";
import { DeltaBatcher } from "./batcher";
import { FloorStore, type TFloorState } from "./store";

export interface FloorOptions {
  companies: readonly string[];
  /** An agent unconfirmed for twice this is stale; sweeps run at an eighth of it. */
  pollIntervalMs: number;
  /** Delta coalescing window. */
  batchMs: number;
  heartbeatMs?: number;
  /** The state of a company's CTI link, shown with its floor. */
  linkState: (companyCode: string) => TLinkState | undefined;
  /**
   * Several nodes: every company starts as a replica of another node's floor, until this node
   * takes the lead (`lead`). One node (the default): this node leads every company.
   */
  replicated?: boolean;
}

export interface FloorEvents {
  delta: [TFloorDelta];
  heartbeat: [TFloorHeartbeat];
}

interface Entry {
  store: FloorStore;
  /** Present while this node leads the company: it numbers and batches the changes. */
  batcher: DeltaBatcher | undefined;
  /** After a takeover, no agent is marked stale before this (its catch-up round runs first). */
  sweepFrom: number;
}

/**
 * The live floor of every watched company: one store and delta batcher per company, a sweep
 * that marks unconfirmed agents stale, and a heartbeat per company. It builds no CTI channel:
 * the CTI layer writes into `store(company)` through its observation-sink interface.
 *
 * A company led by another node (several nodes) has no batcher and no sweep here: its store is
 * a replica fed by `replicate` and `replicateDelta`, whose deltas go out as the leader made them.
 */
export class Floor extends EventEmitter<FloorEvents> {
  private readonly entries = new Map<string, Entry>();
  private sweepTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: FloorOptions) {
    super();
    this.setMaxListeners(0);
    const m = metrics();
    for (const companyCode of options.companies) {
      const store = new FloorStore(companyCode, 2 * options.pollIntervalMs);
      store.on("change", () => m.deltaChanges.inc({ company: companyCode }));
      const entry: Entry = { store, batcher: undefined, sweepFrom: 0 };
      this.entries.set(companyCode, entry);
      if (!options.replicated) entry.batcher = this.batcherFor(store);
    }
  }

  private batcherFor(store: FloorStore): DeltaBatcher {
    const m = metrics();
    return new DeltaBatcher(
      store,
      (delta) => {
        m.deltas.inc({ company: store.companyCode });
        this.emit("delta", delta);
      },
      this.options.batchMs,
    );
  }

  /** True while this node numbers the company's changes (always, with one node). */
  leads(companyCode: string): boolean {
    return this.entries.get(companyCode)?.batcher !== undefined;
  }

  /** This node takes the lead of a company: a new epoch from what its replica holds. */
  lead(companyCode: string): void {
    const entry = this.entries.get(companyCode);
    if (!entry || entry.batcher) return;
    entry.store.beginEpoch();
    entry.batcher = this.batcherFor(entry.store);
    // The replica's agents are all older than the stale limit by now: the new leader confirms
    // them in one quick round (CompanyMonitor's catch-up) before the sweep may judge them, so
    // browsers do not see the whole floor turn stale and back. Half an interval at most.
    entry.sweepFrom = Date.now() + Math.floor(this.options.pollIntervalMs / 2);
    this.linkChanged(companyCode);
  }

  /** Another node leads the company: changes not yet sent are dropped (the leader has its own). */
  follow(companyCode: string): void {
    const entry = this.entries.get(companyCode);
    if (!entry?.batcher) return;
    entry.batcher.stop();
    entry.batcher = undefined;
  }

  /** Replica: the leader's floor, whole; the heartbeat announces its epoch and seq at once. */
  replicate(companyCode: string, state: TFloorState): void {
    const entry = this.entries.get(companyCode);
    if (!entry || entry.batcher) return;
    entry.store.replace(state);
    this.linkChanged(companyCode);
  }

  /** Replica: one of the leader's deltas, applied and sent on to this node's sockets unchanged. */
  replicateDelta(delta: TFloorDelta): void {
    const entry = this.entries.get(delta.companyCode);
    if (!entry || entry.batcher) return;
    entry.store.applyDelta(delta);
    metrics().deltas.inc({ company: delta.companyCode });
    this.emit("delta", delta);
  }

  start(): void {
    this.sweepTimer = setInterval(
      () => {
        const now = Date.now();
        // A replica's staleness is its leader's to decide (its deltas carry it).
        for (const { store, batcher, sweepFrom } of this.entries.values())
          if (batcher && now >= sweepFrom) store.sweep(now);
      },
      Math.max(50, Math.floor(this.options.pollIntervalMs / 8)),
    );
    this.heartbeatTimer = setInterval(() => {
      for (const companyCode of this.entries.keys()) this.linkChanged(companyCode);
    }, this.options.heartbeatMs ?? 1000);
  }

  stop(): void {
    clearInterval(this.sweepTimer);
    clearInterval(this.heartbeatTimer);
    for (const { batcher } of this.entries.values()) batcher?.stop();
  }

  /** Sends the company's heartbeat now (its link changed, or the heartbeat is due). */
  linkChanged(companyCode: string): void {
    const heartbeat = this.heartbeat(companyCode);
    if (heartbeat) this.emit("heartbeat", heartbeat);
  }

  companies(): string[] {
    return [...this.entries.keys()];
  }

  store(companyCode: string): FloorStore | undefined {
    return this.entries.get(companyCode)?.store;
  }

  /** The whole floor of a company, unmasked: callers mask it for the viewer. */
  snapshot(companyCode: string): TFloorSnapshot | undefined {
    const entry = this.entries.get(companyCode);
    const link = this.options.linkState(companyCode);
    if (!entry || !link) return undefined;
    metrics().snapshots.inc({ company: companyCode });
    return {
      companyCode,
      ...entry.store.snapshot(),
      serverTime: Date.now(),
      pollIntervalMs: this.options.pollIntervalMs,
      link,
    };
  }

  heartbeat(companyCode: string): TFloorHeartbeat | undefined {
    const entry = this.entries.get(companyCode);
    const link = this.options.linkState(companyCode);
    if (!entry || !link) return undefined;
    return {
      companyCode,
      epoch: entry.store.epoch,
      seq: entry.batcher?.lastSentSeq ?? entry.store.seq,
      serverTime: Date.now(),
      link,
    };
  }
}
