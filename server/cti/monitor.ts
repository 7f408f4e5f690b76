import "server-only";
import { EventEmitter } from "node:events";
import type { Logger } from "pino";
import { companyOfId } from "@/lib/protocol/handshake";
import { readString, type WireRecord } from "@/lib/protocol/normalize";
import { ZAgentChangePush, ZGetStatusResponse } from "@/lib/protocol/messages";
import type { TObservation } from "@/lib/floor/reducer";
import type { TObservationSink } from "@/lib/floor/observation";
import { metrics } from "@/server/metrics";
import { CtiRequestError, type CtiChannel } from "./channel";
import type { TRoster } from "./roster";

export interface MonitorOptions {
  /** Every agent is asked once per interval, the requests spread evenly over it. */
  pollIntervalMs: number;
  /** Cap on get_status requests awaiting an answer on the channel. */
  maxInFlight: number;
  rosterRefreshMs: number;
  /** Retry delay after a failed roster fetch. */
  rosterRetryMs?: number;
  /** Granularity of the poll pacer. */
  tickMs?: number;
}

/**
 * Watches one company: keeps the roster, polls get_status for every agent at a steady pace on
 * the company's monitor channel, and applies agent_change pushes the moment they arrive. The
 * CTI cost is one channel and N/interval requests per second, whoever is watching.
 */
export interface MonitorEvents {
  /** The floor changed because of what the CTI said (a poll answer or a push). */
  agentChange: [{ agentId: string; via: "poll" | "push" }];
}

export class CompanyMonitor extends EventEmitter<MonitorEvents> {
  private pollTimer: NodeJS.Timeout | undefined;
  private rosterTimer: NodeJS.Timeout | undefined;
  private queue: string[] = [];
  private cursor = 0;
  private credit = 0;
  private lastTick = 0;
  /** Agents still to confirm at once after a takeover (one round within maxInFlight). */
  private catchUp = 0;
  private running = false;
  private rosterInFlight = false;
  private readonly m = metrics();
  // Label lookups cost more than the increment at thousands of answers a second: bind once.
  private readonly statusOk: { inc(): void };
  private readonly confirmInterval: { observe(value: number): void };
  private readonly observed = new Map<string, { inc(): void }>();
  private readonly onPushFrame = (frame: WireRecord) => this.onPush(frame);
  private readonly onState = () => {
    if (this.channel.status.state === "up" && !this.store.hasRoster) this.refreshRoster();
  };

  constructor(
    readonly companyCode: string,
    private readonly channel: CtiChannel,
    private readonly store: TObservationSink,
    private readonly loadRoster: () => Promise<TRoster>,
    private readonly options: MonitorOptions,
    private readonly log: Logger,
  ) {
    super();
    this.statusOk = this.m.getStatus.labels({ company: companyCode, result: "ok" });
    this.confirmInterval = this.m.confirmInterval.labels({ company: companyCode });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    // A floor taken over from another node (several nodes) already knows its agents, none of
    // them confirmed since its leader died: confirm every one at once, within maxInFlight, rather
    // than over a whole interval (after the roster fetch). Otherwise the whole floor turns stale
    // and fresh again, two deltas of every agent to every browser, in the middle of a failover.
    if (this.store.hasRoster) {
      if (this.queue.length === 0) this.queue = this.store.agentIds();
      this.catchUp = this.queue.length;
    }
    this.channel.on("push", this.onPushFrame);
    this.channel.on("state", this.onState);
    this.lastTick = Date.now();
    this.pollTimer = setInterval(() => this.tick(), this.options.tickMs ?? 10);
    this.refreshRoster();
  }

  stop(): void {
    this.running = false;
    clearInterval(this.pollTimer);
    clearTimeout(this.rosterTimer);
    this.channel.off("push", this.onPushFrame);
    this.channel.off("state", this.onState);
  }

  /** Fetches the roster now, then again every rosterRefreshMs (sooner after a failure). */
  refreshRoster(): void {
    if (!this.running || this.rosterInFlight) return;
    clearTimeout(this.rosterTimer);
    this.rosterInFlight = true;
    this.loadRoster()
      .then((roster) => {
        this.store.applyRoster(roster.agents, roster.skills, Date.now());
        // The round goes on where it was: restarting it would leave the agents it had not
        // reached unconfirmed for up to two intervals (they would turn stale).
        const next = this.queue[this.cursor];
        this.queue = this.store.agentIds();
        const at = next === undefined ? -1 : this.queue.indexOf(next);
        this.cursor = at >= 0 ? at : Math.min(this.cursor, this.queue.length);
        this.m.rosterRefreshes.inc({ company: this.companyCode, result: "ok" });
        this.schedule(this.options.rosterRefreshMs);
      })
      .catch((error: unknown) => {
        this.m.rosterRefreshes.inc({ company: this.companyCode, result: "error" });
        this.log.warn(
          {
            company: this.companyCode,
            err: error instanceof Error ? error.message : String(error),
          },
          "roster fetch failed",
        );
        this.schedule(this.options.rosterRetryMs ?? Math.min(5000, this.options.rosterRefreshMs));
      })
      .finally(() => {
        this.rosterInFlight = false;
      });
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.rosterTimer = setTimeout(() => this.refreshRoster(), delayMs);
    this.rosterTimer.unref();
  }

  /** Spends the credit earned since the last tick on the next agents, within the in-flight cap. */
  private tick(): void {
    const now = Date.now();
    const elapsed = now - this.lastTick;
    this.lastTick = now;
    if (this.channel.status.state !== "up" || this.queue.length === 0) {
      this.credit = 0;
      return;
    }
    this.credit = Math.min(
      this.credit + (this.queue.length * elapsed) / this.options.pollIntervalMs,
      this.options.maxInFlight,
    );
    while (
      (this.catchUp > 0 || this.credit >= 1) &&
      this.channel.inFlight < this.options.maxInFlight
    ) {
      if (this.catchUp > 0) this.catchUp -= 1;
      else this.credit -= 1;
      if (this.cursor >= this.queue.length) this.cursor = 0;
      const agentId = this.queue[this.cursor];
      this.cursor += 1;
      if (agentId !== undefined) this.poll(agentId, now);
    }
  }

  private poll(agentId: string, sentAt: number): void {
    const agent = this.store.agent(agentId);
    if (!agent) return;
    this.channel
      .request("get_status", { agent_id: agentId, ext_id: agent.extId })
      .then((frame) => this.onStatus(agentId, sentAt, frame))
      .catch((error: unknown) => {
        const result = error instanceof CtiRequestError ? error.kind : "error";
        this.m.getStatus.inc({ company: this.companyCode, result });
      });
  }

  private onStatus(agentId: string, sentAt: number, frame: WireRecord): void {
    const parsed = ZGetStatusResponse.safeParse(frame);
    if (!parsed.success) {
      this.m.getStatus.inc({ company: this.companyCode, result: "invalid" });
      this.log.warn(
        { company: this.companyCode, agentId, issue: parsed.error.issues[0]?.message },
        "invalid get_status response",
      );
      return;
    }
    const response = parsed.data;
    if (response.code !== "0" || response.status === undefined) {
      this.m.getStatus.inc({ company: this.companyCode, result: `code_${response.code}` });
      return;
    }
    this.statusOk.inc();
    const obs: TObservation = {
      agentId,
      status: response.status,
      subStatus: response.sub_status,
      numbers: response.in_call_numbers,
      uuid: response.uuid,
      statusTime: response.status_time,
      observedAt: sentAt,
      via: "poll",
      name: response.agent_name,
    };
    this.apply(obs);
  }

  private onPush(frame: WireRecord): void {
    const msgType = readString(frame, "msg_type");
    if (msgType !== "change_status") {
      this.m.pushes.inc({ company: this.companyCode, kind: "other" });
      return;
    }
    const parsed = ZAgentChangePush.safeParse(frame);
    if (!parsed.success) {
      this.m.pushes.inc({ company: this.companyCode, kind: "invalid" });
      this.log.warn(
        {
          company: this.companyCode,
          issue: parsed.error.issues[0]?.message,
          sample: JSON.stringify(frame).slice(0, 200),
        },
        "invalid agent_change push dropped",
      );
      return;
    }
    const push = parsed.data;
    if (push.company_code !== this.companyCode || companyOfId(push.agent_id) !== this.companyCode) {
      this.m.pushes.inc({ company: this.companyCode, kind: "foreign" });
      this.log.warn(
        { company: this.companyCode, agentId: push.agent_id, pushCompany: push.company_code },
        "agent_change of another company dropped",
      );
      return;
    }
    this.m.pushes.inc({ company: this.companyCode, kind: "agent_change" });
    this.apply({
      agentId: push.agent_id,
      status: push.agent_status,
      subStatus: push.sub_agent_status,
      numbers: push.in_call_numbers,
      uuid: push.uuid,
      changedAt: push.timestamp,
      observedAt: Date.now(),
      via: "push",
    });
  }

  private apply(obs: TObservation): void {
    const previous = this.store.agent(obs.agentId)?.confirmedAt;
    const now = Date.now();
    const result = this.store.observe(obs, now);
    const key = `${obs.via}|${result}`;
    let counter = this.observed.get(key);
    if (!counter) {
      counter = this.m.observations.labels({ company: this.companyCode, via: obs.via, result });
      this.observed.set(key, counter);
    }
    counter.inc();
    if (result === "changed") this.emit("agentChange", { agentId: obs.agentId, via: obs.via });
    if (
      (result === "changed" || result === "confirmed") &&
      previous !== undefined &&
      obs.via === "poll"
    ) {
      this.confirmInterval.observe(Math.max(0, obs.observedAt - previous) / 1000);
    }
  }
}
