import "server-only";
import { EventEmitter } from "node:events";
import type { TFloorDelta, TFloorHeartbeat, TFloorSnapshot, TLinkState } from "@/lib/floor/types";
import { metrics } from "@/server/metrics";
import { DeltaBatcher } from "./batcher";
import { FloorStore } from "./store";

export interface FloorOptions {
  companies: readonly string[];
  /** An agent unconfirmed for twice this is stale; sweeps run at an eighth of it. */
  pollIntervalMs: number;
  /** Delta coalescing window. */
  batchMs: number;
  heartbeatMs?: number;
  /** The state of a company's CTI link, shown with its floor. */
  linkState: (companyCode: string) => TLinkState | undefined;
}

export interface FloorEvents {
  delta: [TFloorDelta];
  heartbeat: [TFloorHeartbeat];
}

interface Entry {
  store: FloorStore;
  batcher: DeltaBatcher;
}

/**
 * The live floor of every watched company: one store and delta batcher per company, a sweep
 * that marks unconfirmed agents stale, and a heartbeat per company. It builds no CTI channel:
 * the CTI layer writes into `store(company)` through its observation-sink interface.
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
      const batcher = new DeltaBatcher(
        store,
        (delta) => {
          m.deltas.inc({ company: companyCode });
          this.emit("delta", delta);
        },
        options.batchMs,
      );
      this.entries.set(companyCode, { store, batcher });
    }
  }

  start(): void {
    this.sweepTimer = setInterval(
      () => {
        const now = Date.now();
        for (const { store } of this.entries.values()) store.sweep(now);
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
    for (const { batcher } of this.entries.values()) batcher.stop();
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
      seq: entry.batcher.lastSentSeq,
      serverTime: Date.now(),
      link,
    };
  }
}
