import { EventEmitter } from "node:events";
import type { Logger } from "pino";
import type { TFloorDelta, TFloorHeartbeat, TFloorSnapshot, TLinkState } from "@/lib/floor/types";
import { CtiLink, type WatchedCompany } from "@/server/cti/link";
import { CompanyMonitor } from "@/server/cti/monitor";
import { fetchRoster, type TRoster } from "@/server/cti/roster";
import { metrics, quantile } from "@/server/metrics";
import { DeltaBatcher } from "./batcher";
import { FloorStore } from "./store";

export interface FloorHubOptions {
  ctiUrl: string;
  ctiHttpUrl: string;
  companies: WatchedCompany[];
  pollIntervalMs: number;
  maxInFlight: number;
  rosterRefreshMs: number;
  requestTimeoutMs: number;
  /** Delta coalescing window. */
  batchMs?: number;
  heartbeatMs?: number;
  /** Roster source; the CTI's get-agent-list by default. */
  loadRoster?: (companyCode: string) => Promise<TRoster>;
  log: Logger;
}

export interface FloorHubEvents {
  delta: [TFloorDelta];
  heartbeat: [TFloorHeartbeat];
}

interface Entry {
  store: FloorStore;
  batcher: DeltaBatcher;
  monitor: CompanyMonitor;
}

export { FLOOR_HUB_KEY } from "./hub-key";

/**
 * The live floor of every watched company: the CTI link, one monitor, store and delta batcher
 * per company, a sweep that marks unconfirmed agents stale, and a heartbeat per company.
 */
export class FloorHub extends EventEmitter<FloorHubEvents> {
  readonly link: CtiLink;
  private readonly entries = new Map<string, Entry>();
  private sweepTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private readonly m = metrics();

  constructor(private readonly options: FloorHubOptions) {
    super();
    this.setMaxListeners(0);
    const { log } = options;
    this.link = new CtiLink(
      options.ctiUrl,
      options.companies,
      log,
      undefined,
      options.requestTimeoutMs,
    );
    const loadRoster =
      options.loadRoster ??
      ((companyCode: string) =>
        fetchRoster(options.ctiHttpUrl, companyCode, { timeoutMs: options.requestTimeoutMs }));
    for (const { companyCode } of options.companies) {
      const channel = this.link.channel(companyCode);
      if (!channel) continue;
      const store = new FloorStore(companyCode, 2 * options.pollIntervalMs);
      store.on("change", () => this.m.deltaChanges.inc({ company: companyCode }));
      const batcher = new DeltaBatcher(
        store,
        (delta) => {
          this.m.deltas.inc({ company: companyCode });
          this.emit("delta", delta);
        },
        options.batchMs ?? 50,
      );
      const monitor = new CompanyMonitor(
        companyCode,
        channel,
        store,
        () => loadRoster(companyCode),
        {
          pollIntervalMs: options.pollIntervalMs,
          maxInFlight: options.maxInFlight,
          rosterRefreshMs: options.rosterRefreshMs,
        },
        log,
      );
      channel.on("malformed", ({ reason }) =>
        this.m.malformedFrames.inc({ company: companyCode, reason }),
      );
      channel.on("state", () => this.emit("heartbeat", this.heartbeat(companyCode)!));
      this.entries.set(companyCode, { store, batcher, monitor });
    }
  }

  start(): void {
    this.link.start();
    for (const { monitor } of this.entries.values()) monitor.start();
    this.sweepTimer = setInterval(
      () => {
        const now = Date.now();
        for (const { store } of this.entries.values()) store.sweep(now);
      },
      Math.max(50, Math.floor(this.options.pollIntervalMs / 8)),
    );
    this.heartbeatTimer = setInterval(() => {
      for (const companyCode of this.entries.keys())
        this.emit("heartbeat", this.heartbeat(companyCode)!);
    }, this.options.heartbeatMs ?? 1000);
    this.m.setSource({
      linkUp: () =>
        this.companies().map((c) => ({ companyCode: c, up: this.linkState(c)?.state === "up" })),
      staleAgents: () =>
        [...this.entries].map(([companyCode, { store }]) => ({
          companyCode,
          agents: store.size,
          stale: store.snapshot().agents.filter((a) => a.stale).length,
        })),
      freshnessSeconds: () => {
        const now = Date.now();
        return [...this.entries].map(([companyCode, { store }]) => {
          const ages = store.confirmationAges(now);
          return {
            companyCode,
            p50: quantile(ages, 0.5) / 1000,
            p99: quantile(ages, 0.99) / 1000,
            max: quantile(ages, 1) / 1000,
          };
        });
      },
      sockets: () => this.socketCount(),
    });
  }

  async stop(): Promise<void> {
    clearInterval(this.sweepTimer);
    clearInterval(this.heartbeatTimer);
    for (const { monitor, batcher } of this.entries.values()) {
      monitor.stop();
      batcher.stop();
    }
    this.m.setSource(undefined);
    await this.link.stop();
  }

  /** Counts sockets for /metrics; the gateway installs it. */
  socketCount: () => number = () => 0;

  companies(): string[] {
    return [...this.entries.keys()];
  }

  store(companyCode: string): FloorStore | undefined {
    return this.entries.get(companyCode)?.store;
  }

  linkState(companyCode: string): TLinkState | undefined {
    const status = this.link.channel(companyCode)?.status;
    if (!status) return undefined;
    const link: TLinkState = { state: status.state, since: status.since };
    if (status.reason !== undefined) link.reason = status.reason;
    return link;
  }

  /** The whole floor of a company, unmasked: callers mask it for the viewer. */
  snapshot(companyCode: string): TFloorSnapshot | undefined {
    const entry = this.entries.get(companyCode);
    const link = this.linkState(companyCode);
    if (!entry || !link) return undefined;
    this.m.snapshots.inc({ company: companyCode });
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
    const link = this.linkState(companyCode);
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
