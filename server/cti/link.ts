import "server-only";
import { EventEmitter } from "node:events";
import type { Logger } from "pino";
import { linkStateOf, type TChannelStatus, type TLinkState } from "@/lib/link-state";
import type { TObservationSink } from "@/lib/floor/observation";
import { metrics } from "@/server/metrics";
import { CtiChannel } from "./channel";
import { CompanyMonitor, type MonitorOptions } from "./monitor";
import { fetchRoster, type TRoster } from "./roster";
import { SeatRegistry } from "./seats";

export interface CompanyLinkStatus extends TChannelStatus {
  companyCode: string;
  monitorAgentId: string;
  /** Agent changes the floor observed since start (poll or push): the floor is moving. */
  agentChanges: number;
  /** Epoch ms of the last observed agent change, if any. */
  lastAgentChangeAt?: number;
  /** agent_change pushes received on the monitor channel since start. */
  agentChangePushes: number;
}

export interface CtiLinkStatus {
  url: string;
  state: "up" | "down" | "degraded";
  companies: CompanyLinkStatus[];
}

export interface WatchedCompany {
  companyCode: string;
  /** The agent id the monitor channel presents in its handshake. */
  monitorAgentId: string;
}

export interface CtiLinkOptions extends Omit<MonitorOptions, "tickMs" | "rosterRetryMs"> {
  url: string;
  /** HTTP base of the CTI's openapi (roster). */
  httpUrl: string;
  companies: WatchedCompany[];
  requestTimeoutMs: number;
  /** Roster source; the CTI's get-agent-list by default. */
  loadRoster?: (companyCode: string) => Promise<TRoster>;
  log: Logger;
}

export interface CtiLinkEvents {
  /** A company's monitor channel changed state. */
  state: [companyCode: string, link: TLinkState];
}

interface MonitorEntry {
  channel: CtiChannel;
  monitor: CompanyMonitor;
  stats: CompanyLinkStatus;
}

/**
 * Every channel this node holds to the CTI: per watched company one monitor channel (handshake
 * `os: "monitor"`) whose monitor polls and takes pushes, delivering what it learns to the
 * company's observation sink; and per linked supervisor one seat channel (`seats`).
 */
export class CtiLink extends EventEmitter<CtiLinkEvents> {
  readonly seats: SeatRegistry;
  private readonly monitors = new Map<string, MonitorEntry>();

  constructor(
    private readonly options: CtiLinkOptions,
    sinkOf: (companyCode: string) => TObservationSink,
  ) {
    super();
    const { log } = options;
    const m = metrics();
    this.seats = new SeatRegistry({
      baseUrl: options.url,
      requestTimeoutMs: options.requestTimeoutMs,
    });
    const loadRoster =
      options.loadRoster ??
      ((companyCode: string) =>
        fetchRoster(options.httpUrl, companyCode, { timeoutMs: options.requestTimeoutMs }));
    for (const { companyCode, monitorAgentId } of options.companies) {
      const channel = new CtiChannel({
        baseUrl: options.url,
        handshake: { company_code: companyCode, agent_id: monitorAgentId, os: "monitor" },
        requestTimeoutMs: options.requestTimeoutMs,
      });
      const stats: CompanyLinkStatus = {
        companyCode,
        monitorAgentId,
        agentChanges: 0,
        agentChangePushes: 0,
        ...channel.status,
      };
      const monitor = new CompanyMonitor(
        companyCode,
        channel,
        sinkOf(companyCode),
        () => loadRoster(companyCode),
        options,
        log,
      );
      monitor.on("agentChange", ({ via }) => {
        stats.agentChanges += 1;
        stats.lastAgentChangeAt = Date.now();
        if (via === "push") stats.agentChangePushes += 1;
      });
      channel.on("state", (status) => {
        Object.assign(stats, status);
        if (status.reason === undefined) delete stats.reason;
        log[status.state === "down" ? "warn" : "info"](
          { company: companyCode, state: status.state, reason: status.reason },
          "cti monitor channel state",
        );
        this.emit("state", companyCode, linkStateOf(status));
      });
      channel.on("malformed", ({ reason, sample }) => {
        stats.malformedFrames = channel.status.malformedFrames;
        m.malformedFrames.inc({ company: companyCode, reason });
        log.warn({ company: companyCode, reason, sample }, "malformed CTI frame dropped");
      });
      this.monitors.set(companyCode, { channel, monitor, stats });
    }
  }

  /** Opens every company's monitor channel (one node; with several, see startMonitor). */
  start(): void {
    for (const companyCode of this.monitors.keys()) this.startMonitor(companyCode);
  }

  async stop(): Promise<void> {
    for (const { monitor } of this.monitors.values()) monitor.stop();
    await this.seats.stop();
    await Promise.all([...this.monitors.values()].map(({ channel }) => channel.stop()));
  }

  /** Opens one company's monitor channel and starts its poller (this node leads the company). */
  startMonitor(companyCode: string): void {
    const entry = this.monitors.get(companyCode);
    if (!entry) return;
    entry.channel.start();
    entry.monitor.start();
  }

  /** Stops one company's poller and closes its monitor channel (another node leads it now). */
  async stopMonitor(companyCode: string): Promise<void> {
    const entry = this.monitors.get(companyCode);
    if (!entry) return;
    entry.monitor.stop();
    await entry.channel.stop();
  }

  companies(): string[] {
    return [...this.monitors.keys()];
  }

  /** A company's monitor channel (tests and diagnostics). */
  monitorChannel(companyCode: string): CtiChannel | undefined {
    return this.monitors.get(companyCode)?.channel;
  }

  /** What a browser needs of a company's monitor channel; undefined for an unwatched company. */
  linkState(companyCode: string): TLinkState | undefined {
    const entry = this.monitors.get(companyCode);
    return entry ? linkStateOf(entry.channel.status) : undefined;
  }

  status(): CtiLinkStatus {
    const companies = [...this.monitors.values()].map(({ stats }) => ({ ...stats }));
    const up = companies.filter((c) => c.state === "up").length;
    const state = up === companies.length ? "up" : up === 0 ? "down" : "degraded";
    return { url: this.options.url, state, companies };
  }
}
