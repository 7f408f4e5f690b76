import type { WireRecord } from "@/lib/protocol/normalize";
import type { TClock, TTimer } from "./clock";
import type { SimEngine } from "./engine";
import { chance, exponential, logNormal, pick, randomInt, type TRng } from "./random";
import type { RequestRouter } from "./request-router";
import type { TCall, TChannel, TCompany, TSimAgent } from "./types";

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** Handle-time shapes (log-normal median, sigma) from typical inbound service desks. */
const ANSWER_DELAY = { median: 3.5 * SECOND, sigma: 0.5 };
const AGENT_TALK = { median: 150 * SECOND, sigma: 0.6 };
const CUSTOMER_TALK = { median: 210 * SECOND, sigma: 0.7 };
const BUSY_SPELL = { median: 90 * SECOND, sigma: 0.7 };
const OPEN_REST = { median: 6 * MINUTE, sigma: 0.4 };
const EARLY_WRAP_UP = { median: 12 * SECOND, sigma: 0.5 };
const SIDE_CALL = { median: 40 * SECOND, sigma: 0.5 };
const FREE_GAP_MEAN = 8 * MINUTE;
const OFFLINE_GAP_MEAN = 20 * MINUTE;
const PATIENCE_MEAN = 90 * SECOND;
const ADOPT_SWEEP = MINUTE;

/**
 * The believable floor: Poisson arrivals per company, and agents who answer, talk, wrap up,
 * take breaks, dial out, consult, transfer and conference. Agents act only through the same
 * request router the wire uses, on a virtual channel per agent; a real client's checkin
 * kicks that channel off and the model leaves the agent alone until it is released.
 */
export class TrafficModel {
  private running = false;
  private paused = false;
  private reqSeq = 0;
  private readonly channels = new Map<TSimAgent, TChannel>();
  private readonly plans = new Map<TSimAgent, { key: string; timer: TTimer | undefined }>();
  private readonly customerCalls = new Set<string>();

  constructor(
    private readonly engine: SimEngine,
    private readonly router: RequestRouter,
    private readonly clock: TClock,
    private readonly rng: TRng,
    private callRatePerMinute: number,
  ) {
    engine.hooks.connected = (call) => this.onConnected(call);
    engine.hooks.ended = (call) => this.customerCalls.delete(call.uuid);
  }

  /** A quiet floor (rate 0) leaves every agent to clients and tests until traffic is turned on. */
  start(): void {
    if (this.running || this.callRatePerMinute <= 0) return;
    this.running = true;
    for (const company of this.engine.companies.values()) {
      for (const agent of company.roster) this.adopt(agent, true);
      this.scheduleArrival(company);
    }
    this.scheduleSweep();
  }

  get state(): { call_rate: number; paused: boolean; running: boolean } {
    return { call_rate: this.callRatePerMinute, paused: this.paused, running: this.running };
  }

  setCallRate(rate: number): void {
    this.callRatePerMinute = rate;
    this.start();
  }

  setPaused(paused: boolean): void {
    if (this.paused === paused) return;
    this.paused = paused;
    if (paused) return;
    for (const agent of this.channels.keys()) this.plan(agent, true);
  }

  private adopt(agent: TSimAgent, atStart: boolean): void {
    if (agent.driver !== null) return;
    if (!this.channels.has(agent)) {
      this.channels.set(agent, {
        companyCode: agent.companyCode,
        agentId: agent.agentId,
        os: "model",
        kind: "model",
        session: undefined,
        kickedOff: false,
        deliver: (message) => this.onPush(agent, message),
      });
    }
    agent.driver = "model";
    if (atStart && chance(this.rng, 0.85)) {
      const roll = this.rng.next();
      this.request(agent, {
        msg_type: "checkin",
        agent_pwd: agent.password,
        start_status: roll < 0.7 ? "FREE" : roll < 0.85 ? "BUSY" : "REST",
      });
    }
    this.plan(agent, true);
  }

  private drives(agent: TSimAgent): boolean {
    const channel = this.channels.get(agent);
    return (
      channel !== undefined &&
      agent.driver === "model" &&
      (agent.session === channel || agent.session === undefined)
    );
  }

  private request(agent: TSimAgent, body: WireRecord): WireRecord | undefined {
    const channel = this.channels.get(agent);
    if (!channel) return undefined;
    return this.router.handle(channel, {
      req_id: `model-${++this.reqSeq}`,
      company_code: agent.companyCode,
      agent_id: agent.agentId,
      ext_id: agent.extId,
      ...body,
    });
  }

  private onPush(agent: TSimAgent, message: WireRecord): void {
    switch (message.msg_type) {
      case "kick_off":
        this.release(agent);
        return;
      case "change_status":
        this.plan(agent, false);
        return;
    }
  }

  /** A client or a test took the agent: forget it. */
  private release(agent: TSimAgent): void {
    this.plans.get(agent)?.timer?.cancel();
    this.plans.delete(agent);
    this.channels.delete(agent);
  }

  /** One pending decision per agent, re-made when its status or call changes. */
  private plan(agent: TSimAgent, force: boolean): void {
    const key = `${agent.status}/${agent.legUuid ?? ""}`;
    const current = this.plans.get(agent);
    if (!force && current?.key === key) return;
    current?.timer?.cancel();
    const next = this.nextStep(agent);
    const timer = next ? this.clock.after(next.delay, () => this.act(agent, next.run)) : undefined;
    this.plans.set(agent, { key, timer });
  }

  private later(agent: TSimAgent, delay: number, run: () => void): void {
    this.clock.after(delay, () => this.act(agent, run));
  }

  private act(agent: TSimAgent, run: () => void): void {
    if (this.paused || !this.drives(agent)) return;
    run();
  }

  private nextStep(agent: TSimAgent): { delay: number; run: () => void } | undefined {
    const rng = this.rng;
    switch (agent.status) {
      case "OFFLINE":
        return { delay: exponential(rng, OFFLINE_GAP_MEAN), run: () => this.checkin(agent) };
      case "FREE":
        return { delay: exponential(rng, FREE_GAP_MEAN), run: () => this.leaveFree(agent) };
      case "BUSY":
        return {
          delay: logNormal(rng, BUSY_SPELL.median, BUSY_SPELL.sigma),
          run: () =>
            chance(rng, 0.65) || agent.role === "supervisor"
              ? this.status(agent, "MAKE_FREE")
              : this.dialOut(agent),
        };
      case "REST":
        if (agent.statusTimer) return undefined;
        return {
          delay: logNormal(rng, OPEN_REST.median, OPEN_REST.sigma),
          run: () => this.status(agent, "MAKE_FREE"),
        };
      case "ARRANGE":
        return {
          delay: logNormal(rng, EARLY_WRAP_UP.median, EARLY_WRAP_UP.sigma),
          run: () => this.status(agent, "MAKE_FREE"),
        };
      case "CALLING":
        return {
          delay: logNormal(rng, AGENT_TALK.median, AGENT_TALK.sigma),
          run: () => this.endOfTalk(agent),
        };
      case "RINGING":
        // The agent's phone picks up (its own outbound leg waits for the callee instead).
        return {
          delay: logNormal(rng, ANSWER_DELAY.median, ANSWER_DELAY.sigma),
          run: () => this.engine.answerAgent(agent),
        };
    }
  }

  private checkin(agent: TSimAgent): void {
    this.request(agent, { msg_type: "checkin", agent_pwd: agent.password, start_status: "FREE" });
  }

  private status(agent: TSimAgent, action: string, restMin?: number): void {
    this.request(
      agent,
      restMin === undefined
        ? { msg_type: "change_status", action }
        : { msg_type: "change_status", action, rest_min: restMin },
    );
  }

  private leaveFree(agent: TSimAgent): void {
    const roll = this.rng.next();
    if (roll < 0.4) this.status(agent, "MAKE_BUSY");
    else if (roll < 0.65) this.status(agent, "MAKE_REST", pick(this.rng, [5, 10, 15]));
    else if (roll < 0.9 && agent.role === "agent") this.dialOut(agent);
    else if (roll < 0.95 && agent.role === "agent") this.dialColleague(agent);
    else this.request(agent, { msg_type: "checkout" });
  }

  private dialOut(agent: TSimAgent): void {
    const response = this.request(agent, {
      msg_type: "call",
      callee_number: mobileNumber(this.rng),
      out_line: 1,
    });
    if (response?.code === "0" && typeof response.uuid === "string")
      this.customerCalls.add(response.uuid);
  }

  private dialColleague(agent: TSimAgent): void {
    const colleague = this.freeColleague(agent);
    if (colleague)
      this.request(agent, { msg_type: "call", callee_number: colleague.agentId, out_line: 0 });
  }

  /** The agent wraps the call up: mostly a hang-up, sometimes a transfer, consult or conference first. */
  private endOfTalk(agent: TSimAgent): void {
    const uuid = agent.callUuid;
    if (agent.status !== "CALLING" || !uuid) return;
    const roll = this.rng.next();
    const colleague = roll < 0.12 ? this.freeColleague(agent) : undefined;
    if (roll < 0.05) {
      const call = this.engine.calls.get(uuid);
      const skill = call?.skillId;
      if (colleague)
        this.request(agent, {
          msg_type: "trans",
          uuid,
          type: 1,
          trans_type: 1,
          trans_number: colleague.agentId,
        });
      else if (skill)
        this.request(agent, {
          msg_type: "trans",
          uuid,
          type: 1,
          trans_type: 2,
          trans_number: skill,
        });
      else this.hangup(agent, uuid);
    } else if (roll < 0.09 && colleague) {
      this.request(agent, {
        msg_type: "consult",
        uuid,
        type: 1,
        consult_type: 0,
        consult_number: colleague.agentId,
      });
      this.later(agent, logNormal(this.rng, SIDE_CALL.median, SIDE_CALL.sigma), () =>
        this.finishConsult(agent, uuid, colleague),
      );
    } else if (roll < 0.12 && colleague) {
      this.request(agent, {
        msg_type: "three_way",
        uuid,
        three_way_type: 0,
        three_way_number: colleague.agentId,
      });
      this.later(agent, logNormal(this.rng, SIDE_CALL.median, SIDE_CALL.sigma), () =>
        this.hangup(agent, uuid),
      );
    } else {
      if (roll < 0.22)
        this.status(
          agent,
          chance(this.rng, 0.5) ? "MAKE_REST_AFTER_CALL_STOP" : "MAKE_BUSY_AFTER_CALL_STOP",
        );
      this.hangup(agent, uuid);
    }
  }

  private finishConsult(agent: TSimAgent, uuid: string, colleague: TSimAgent): void {
    if (agent.callUuid !== uuid) return;
    if (agent.consultUuid && chance(this.rng, 0.5)) {
      this.request(agent, {
        msg_type: "trans",
        uuid,
        type: 2,
        trans_type: 1,
        trans_number: colleague.agentId,
      });
      return;
    }
    this.request(agent, { msg_type: "consult", uuid, type: 2 });
    this.hangup(agent, uuid);
  }

  private hangup(agent: TSimAgent, uuid: string): void {
    if (agent.callUuid === uuid) this.request(agent, { msg_type: "hangup", uuid });
  }

  private freeColleague(agent: TSimAgent): TSimAgent | undefined {
    const company = this.engine.companies.get(agent.companyCode);
    if (!company) return undefined;
    for (let i = 0; i < 8; i++) {
      const other = pick(this.rng, company.roster);
      if (
        other !== agent &&
        other.status === "FREE" &&
        other.role === "agent" &&
        this.drives(other)
      )
        return other;
    }
    return undefined;
  }

  private scheduleArrival(company: TCompany): void {
    const rate = this.callRatePerMinute > 0 ? this.callRatePerMinute : 1;
    this.clock.after(exponential(this.rng, MINUTE / rate), () => {
      if (!this.paused && this.callRatePerMinute > 0) this.arrive(company);
      this.scheduleArrival(company);
    });
  }

  private arrive(company: TCompany): void {
    const skills = company.skills;
    // The first queue (pre-sales) carries half the traffic.
    const skill = chance(this.rng, 0.5) ? skills[0] : pick(this.rng, skills);
    const call = this.engine.inbound({
      companyCode: company.companyCode,
      customerNumber: mobileNumber(this.rng),
      skillId: skill?.skillId,
      autoAnswer: true,
      patienceMs: exponential(this.rng, PATIENCE_MEAN),
    });
    if (call.state !== "ended") this.customerCalls.add(call.uuid);
  }

  /** The customer side of a model call hangs up on its own clock; whoever is first ends it. */
  private onConnected(call: TCall): void {
    if (!this.customerCalls.delete(call.uuid)) return;
    this.customerHangupAfter(call, logNormal(this.rng, CUSTOMER_TALK.median, CUSTOMER_TALK.sigma));
  }

  /** While paused the customer holds on, so a paused floor stays still for tests to compare. */
  private customerHangupAfter(call: TCall, delay: number): void {
    this.clock.after(delay, () => {
      if (this.engine.calls.get(call.uuid) !== call) return;
      if (this.paused) this.customerHangupAfter(call, SECOND);
      else this.engine.customerHangup(call);
    });
  }

  /** Agents released by clients (checkout) or tests are picked up again. */
  private scheduleSweep(): void {
    this.clock.after(ADOPT_SWEEP, () => {
      if (!this.paused) {
        for (const company of this.engine.companies.values())
          for (const agent of company.roster) this.adopt(agent, false);
      }
      this.scheduleSweep();
    });
  }
}

function mobileNumber(rng: TRng): string {
  return `1${pick(rng, ["3", "5", "7", "8"])}${String(randomInt(rng, 0, 999_999_999)).padStart(9, "0")}`;
}
