import type { WireRecord } from "@/lib/protocol/normalize";
import type { TOutbox } from "./engine";
import { kickOffPush } from "./push-messages";
import type { SimStats } from "./stats";
import type { TChannel, TSimAgent } from "./types";

/**
 * Who hears what: an agent's pushes go to the channel it is checked in on, and every
 * agent_change of a company also goes to that company's monitor channels (EXT).
 */
export class ChannelHub implements TOutbox {
  private readonly monitors = new Map<string, Set<TChannel>>();
  /** Open WebSocket channels, to drop their sessions on reset. */
  readonly wsChannels = new Set<TChannel>();

  constructor(private readonly stats: SimStats) {}

  addMonitor(channel: TChannel): void {
    let set = this.monitors.get(channel.companyCode);
    if (!set) this.monitors.set(channel.companyCode, (set = new Set()));
    set.add(channel);
  }

  removeMonitor(channel: TChannel): void {
    this.monitors.get(channel.companyCode)?.delete(channel);
  }

  toAgent(agent: TSimAgent, message: WireRecord): void {
    const channel = agent.session;
    if (!channel) return;
    if (channel.kind === "ws") this.stats.countPush(String(message.msg_type));
    channel.deliver(message);
  }

  agentChanged(agent: TSimAgent, push: WireRecord): void {
    const monitors = this.monitors.get(agent.companyCode);
    // Serialized once for every socket that hears it.
    const text = monitors?.size || agent.session?.kind === "ws" ? JSON.stringify(push) : undefined;
    if (agent.session) {
      if (agent.session.kind === "ws") this.stats.countPush("agent_change");
      agent.session.deliver(push, text);
    }
    if (!monitors) return;
    for (const monitor of monitors) {
      this.stats.countPush("agent_change");
      monitor.deliver(push, text);
    }
  }

  /** Checks the agent in on `channel`; an earlier session elsewhere gets kick_off. */
  bind(agent: TSimAgent, channel: TChannel): void {
    const previous = agent.session;
    if (previous && previous !== channel) {
      previous.session = undefined;
      previous.kickedOff = true;
      if (previous.kind === "ws") this.stats.countPush("kick_off");
      previous.deliver(kickOffPush(agent));
    }
    agent.session = channel;
    channel.session = agent;
    channel.kickedOff = false;
    agent.driver = channel.kind === "ws" ? "client" : channel.kind;
  }

  /**
   * The agent is no longer checked in anywhere. The model keeps driving agents it checked
   * out itself; a client's agent has no driver until the model or a test adopts it.
   */
  unbind(agent: TSimAgent): void {
    agent.driver = agent.session?.kind === "model" ? "model" : null;
    if (agent.session) agent.session.session = undefined;
    agent.session = undefined;
  }

  /** Takes an agent away from its session for a test scenario. A client session cannot be taken. */
  takeForTest(agent: TSimAgent): void {
    const previous = agent.session;
    if (previous) {
      previous.session = undefined;
      previous.kickedOff = true;
      previous.deliver(kickOffPush(agent));
    }
    agent.session = undefined;
    agent.driver = "test";
  }

  /** Reset: every WebSocket session ends (the agents they held are gone). */
  dropSessions(): void {
    for (const channel of this.wsChannels) channel.session = undefined;
  }
}
