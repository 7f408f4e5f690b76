import type { Logger } from "pino";
import { readString, type WireRecord } from "@/lib/protocol/normalize";
import { CtiChannel, type ChannelStatus } from "./channel";

export interface CompanyLinkStatus extends ChannelStatus {
  companyCode: string;
  monitorAgentId: string;
  /** agent_change pushes received since start. */
  agentChanges: number;
  /** Epoch ms of the last agent_change, if any. */
  lastAgentChangeAt?: number;
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

/**
 * The dashboard's view of the CTI: one monitor channel per watched company (handshake
 * `os: "monitor"`), whose pushes feed the floor.
 */
export class CtiLink {
  private readonly channels = new Map<string, { channel: CtiChannel; stats: CompanyLinkStatus }>();

  constructor(
    private readonly url: string,
    companies: WatchedCompany[],
    private readonly log: Logger,
    private readonly onPush: (companyCode: string, frame: WireRecord) => void = () => {},
    requestTimeoutMs = 10_000,
  ) {
    for (const { companyCode, monitorAgentId } of companies) {
      const channel = new CtiChannel({
        baseUrl: url,
        handshake: { company_code: companyCode, agent_id: monitorAgentId, os: "monitor" },
        requestTimeoutMs,
      });
      const stats: CompanyLinkStatus = {
        companyCode,
        monitorAgentId,
        agentChanges: 0,
        ...channel.status,
      };
      channel.on("state", (status) => {
        Object.assign(stats, status);
        this.log[status.state === "down" ? "warn" : "info"](
          { company: companyCode, state: status.state, reason: status.reason },
          "cti monitor channel state",
        );
      });
      channel.on("malformed", ({ reason, sample }) => {
        stats.malformedFrames = channel.status.malformedFrames;
        this.log.warn({ company: companyCode, reason, sample }, "malformed CTI frame dropped");
      });
      channel.on("push", (frame) => {
        if (readString(frame, "msg_type") === "change_status" && frame.agent_id !== undefined) {
          stats.agentChanges += 1;
          stats.lastAgentChangeAt = Date.now();
        }
        this.onPush(companyCode, frame);
      });
      this.channels.set(companyCode, { channel, stats });
    }
  }

  start(): void {
    for (const { channel } of this.channels.values()) channel.start();
  }

  async stop(): Promise<void> {
    await Promise.all([...this.channels.values()].map(({ channel }) => channel.stop()));
  }

  channel(companyCode: string): CtiChannel | undefined {
    return this.channels.get(companyCode)?.channel;
  }

  status(): CtiLinkStatus {
    const companies = [...this.channels.values()].map(({ stats }) => ({ ...stats }));
    const up = companies.filter((c) => c.state === "up").length;
    const state = up === companies.length ? "up" : up === 0 ? "down" : "degraded";
    return { url: this.url, state, companies };
  }
}
