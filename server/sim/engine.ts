import type { WireRecord } from "@/lib/protocol/normalize";
import type { TAgentStatus, TCallbackAction, TSubStatus } from "@/lib/protocol/states";
import type { TClock } from "./clock";
import { agentChangePush, callbackPush, callinPush } from "./push-messages";
import { hex32, type TRng } from "./random";
import { returnStatusFrom, statusAfterCall, type THangupCause } from "./state-machine";
import type { TCall, TCallDirection, TCompany, TLeg, TLegPurpose, TSimAgent } from "./types";

/** Where the engine's pushes go; the channel hub implements it. */
export interface TOutbox {
  toAgent(agent: TSimAgent, message: WireRecord): void;
  agentChanged(agent: TSimAgent, push: WireRecord): void;
}

export interface TEngineSettings {
  arrangeSeconds: number;
  restMinuteMs: number;
  softphoneAnswerMs: number;
  customerAnswerMs: number;
  outboundFailRate: number;
}

interface TAgentPatch {
  status?: TAgentStatus;
  subStatus?: TSubStatus | undefined;
  callUuid?: string | undefined;
  legUuid?: string | undefined;
  inCallNumbers?: string[];
}

interface TRingInput {
  purpose: TLegPurpose;
  callerNumber: string;
  callinChannel: string | undefined;
  inviter?: string;
  callbackAction?: TCallbackAction;
  autoAnswer: boolean;
  legUuid?: string;
  monitor?: boolean;
  /** The caller's own leg of an outbound call rings without a callin push. */
  silent?: boolean;
}

const SUPERVISOR_PURPOSES: ReadonlySet<TLegPurpose> = new Set([
  "substitute",
  "eavesdrop",
  "whisper",
  "force_call",
]);

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * The floor's ground truth: agents, calls, queues and every transition of protocol.md §5-6.
 * Requests from the wire, the traffic model and the control API all end up here, so the
 * pushes they cause are the same whoever asked.
 */
export class SimEngine {
  readonly companies = new Map<string, TCompany>();
  readonly calls = new Map<string, TCall>();
  /** Leg uuid → call uuid, for supervisor legs whose uuid differs from the call's. */
  private readonly legIndex = new Map<string, string>();
  /** Per company, FREE agents in the order they became FREE: the first is the longest idle. */
  private readonly freeSince = new Map<string, Map<string, TSimAgent>>();
  /** Per company and skill, calls waiting for an agent, oldest first. */
  private readonly queues = new Map<string, Map<string, TCall[]>>();
  /** The traffic model's view of calls: it lets its customers hang up once connected. */
  readonly hooks: { connected?: (call: TCall) => void; ended?: (call: TCall) => void } = {};
  readonly counters = {
    callsCreated: 0,
    callsAnswered: 0,
    callsEnded: 0,
    callsAbandoned: 0,
    agentChanges: 0,
  };

  constructor(
    private readonly clock: TClock,
    private readonly rng: TRng,
    private readonly settings: TEngineSettings,
    private readonly outbox: TOutbox,
  ) {}

  addCompany(company: TCompany): void {
    this.companies.set(company.companyCode, company);
    this.freeSince.set(company.companyCode, new Map());
    this.queues.set(company.companyCode, new Map(company.skills.map((s) => [s.skillId, []])));
  }

  agent(companyCode: string, agentId: string): TSimAgent | undefined {
    return this.companies.get(companyCode)?.agents.get(agentId);
  }

  now(): number {
    return this.clock.now();
  }

  newUuid(prefix: string): string {
    return `${prefix}-${hex32(this.rng)}`;
  }

  /** The call a uuid names: a call uuid or a supervisor's leg uuid. */
  findCall(uuid: string): TCall | undefined {
    return this.calls.get(uuid) ?? this.calls.get(this.legIndex.get(uuid) ?? "");
  }

  queued(companyCode: string): TCall[] {
    return [...(this.queues.get(companyCode)?.values() ?? [])].flat();
  }

  // ---- agent status ----

  private update(agent: TSimAgent, patch: TAgentPatch, reason?: string): void {
    const last = agent.status;
    let changed = false;
    if (patch.status !== undefined && patch.status !== agent.status) {
      agent.status = patch.status;
      agent.statusTime = this.clock.now();
      agent.statusTimer?.cancel();
      agent.statusTimer = undefined;
      changed = true;
    }
    if ("subStatus" in patch && patch.subStatus !== agent.subStatus) {
      agent.subStatus = patch.subStatus;
      changed = true;
    }
    if ("callUuid" in patch) agent.callUuid = patch.callUuid;
    if ("legUuid" in patch && patch.legUuid !== agent.legUuid) {
      agent.legUuid = patch.legUuid;
      changed = true;
    }
    if (patch.inCallNumbers && !sameList(patch.inCallNumbers, agent.inCallNumbers)) {
      agent.inCallNumbers = patch.inCallNumbers;
      changed = true;
    }
    if (!changed) return;
    agent.extStatus =
      agent.status === "OFFLINE"
        ? "OFFLINE"
        : agent.status === "RINGING" || agent.status === "CALLING"
          ? agent.status
          : "ONLINE";
    if (agent.status !== "CALLING") agent.subStatus = undefined;
    this.trackFree(agent, last);
    this.counters.agentChanges++;
    this.outbox.agentChanged(agent, agentChangePush(agent, last, this.clock.now(), reason));
  }

  private trackFree(agent: TSimAgent, last: TAgentStatus): void {
    const free = this.freeSince.get(agent.companyCode);
    if (!free || last === agent.status) return;
    if (last === "FREE") free.delete(agent.agentId);
    if (agent.status !== "FREE") return;
    free.set(agent.agentId, agent);
    // A moment of FREE before the next queued call rings, as on a real ACD.
    this.clock.after(0, () => this.offerQueuedCall(agent));
  }

  /** Puts an agent into a resting status directly (checkin, status actions, scenarios). */
  setStatus(agent: TSimAgent, status: TAgentStatus, reason?: string): void {
    this.update(agent, { status }, reason);
  }

  setSubStatus(agent: TSimAgent, subStatus: TSubStatus | undefined): void {
    this.update(agent, { subStatus });
  }

  /** REST, returning to the status before it after `restMin` minutes when given. */
  rest(agent: TSimAgent, restMin: number | undefined, reason?: string): void {
    const back = returnStatusFrom(agent.status, agent.returnStatus);
    this.update(agent, { status: "REST" }, reason);
    if (restMin === undefined) return;
    agent.returnStatus = back === "REST" ? "FREE" : back;
    agent.statusTimer = this.clock.after(restMin * this.settings.restMinuteMs, () => {
      agent.statusTimer = undefined;
      this.update(agent, { status: agent.returnStatus }, "rest_over");
    });
  }

  /** After-call work for the configured seconds, then the status before the call. */
  arrange(
    agent: TSimAgent,
    returnStatus: TAgentStatus,
    reason?: string,
    patch: TAgentPatch = {},
  ): void {
    this.update(agent, { ...patch, status: "ARRANGE" }, reason);
    agent.returnStatus = returnStatus;
    agent.statusTimer = this.clock.after(this.settings.arrangeSeconds * 1000, () => {
      agent.statusTimer = undefined;
      this.update(agent, { status: agent.returnStatus }, "arrange_over");
    });
  }

  checkin(agent: TSimAgent, startStatus: TAgentStatus | undefined): void {
    if (agent.status === "RINGING" || agent.status === "CALLING") return;
    if (agent.status === "OFFLINE" || startStatus)
      this.setStatus(agent, startStatus ?? "FREE", "checkin");
  }

  /** Checkout; a call in progress is hung up first (FORCE_CHECKOUT, silence, reset). */
  checkout(agent: TSimAgent, reason: string): void {
    this.dropAgentFromCalls(agent, "agent");
    agent.callStopStatus = undefined;
    this.update(agent, { status: "OFFLINE", subStatus: undefined }, reason);
  }

  /** Takes an agent out of whatever call it is in, without the after-call rules (scenarios, checkout). */
  dropAgentFromCalls(agent: TSimAgent, cause: THangupCause): void {
    if (agent.consultUuid) this.endCallByUuid(agent.consultUuid);
    const call = agent.callUuid ? this.calls.get(agent.callUuid) : undefined;
    const leg = call?.legs.find((l) => l.agentId === agent.agentId);
    if (call && leg) this.leave(call, leg, cause);
  }

  // ---- calls ----

  private createCall(input: {
    companyCode: string;
    direction: TCallDirection;
    customerNumber: string | undefined;
    skillId?: string;
    parentUuid?: string;
  }): TCall {
    const call: TCall = {
      uuid: this.newUuid("call"),
      companyCode: input.companyCode,
      direction: input.direction,
      customerNumber: input.customerNumber,
      skillId: input.skillId,
      parentUuid: input.parentUuid,
      legs: [],
      externals: [],
      pendingExternals: new Map(),
      state: "ringing",
      createdAt: this.clock.now(),
      answeredAt: undefined,
      abandonTimer: undefined,
    };
    this.calls.set(call.uuid, call);
    this.counters.callsCreated++;
    return call;
  }

  /**
   * An inbound customer call. With a target agent it rings that agent (tests); otherwise
   * the ACD rings the longest-idle FREE agent with the skill or queues the call.
   */
  inbound(input: {
    companyCode: string;
    customerNumber: string;
    skillId: string | undefined;
    target?: TSimAgent;
    autoAnswer: boolean;
    patienceMs?: number;
  }): TCall {
    const call = this.createCall({
      companyCode: input.companyCode,
      direction: "in",
      customerNumber: input.customerNumber,
      skillId: input.skillId,
    });
    call.externals.push(input.customerNumber);
    if (input.target) {
      this.ring(call, input.target, {
        purpose: "primary",
        callerNumber: input.customerNumber,
        callinChannel: undefined,
        autoAnswer: input.autoAnswer,
        legUuid: call.uuid,
      });
    } else {
      this.routeToSkill(call, input.patienceMs);
    }
    return call;
  }

  private routeToSkill(call: TCall, patienceMs?: number): void {
    const agent = this.longestIdle(call.companyCode, call.skillId);
    if (agent) {
      this.ringFromQueue(call, agent);
      return;
    }
    call.state = "queued";
    const queue = this.queues.get(call.companyCode)?.get(call.skillId ?? "");
    queue?.push(call);
    if (patienceMs !== undefined) {
      call.abandonTimer = this.clock.after(patienceMs, () => {
        if (call.state !== "queued") return;
        this.counters.callsAbandoned++;
        this.endCall(call);
      });
    }
  }

  private ringFromQueue(call: TCall, agent: TSimAgent): void {
    call.abandonTimer?.cancel();
    call.abandonTimer = undefined;
    call.state = call.answeredAt === undefined ? "ringing" : "talking";
    this.ring(call, agent, {
      purpose: call.answeredAt === undefined ? "primary" : "trans",
      callerNumber: call.customerNumber ?? "",
      callinChannel: call.answeredAt === undefined ? undefined : "TRANS",
      autoAnswer: true,
      legUuid: call.uuid,
    });
  }

  /** Agents the ACD may ring: FREE, with the skill, and driven by the model or a client (never a test). */
  private longestIdle(companyCode: string, skillId: string | undefined): TSimAgent | undefined {
    for (const agent of this.freeSince.get(companyCode)?.values() ?? []) {
      if (!this.acdMayRing(agent)) continue;
      if (skillId === undefined || agent.skills.includes(skillId)) return agent;
    }
    return undefined;
  }

  /** Supervisors stay off the queues so they are free to intervene; tests' agents move only on command. */
  private acdMayRing(agent: TSimAgent): boolean {
    return agent.role === "agent" && (agent.driver === "model" || agent.driver === "client");
  }

  private offerQueuedCall(agent: TSimAgent): void {
    if (agent.status !== "FREE" || !this.acdMayRing(agent)) return;
    const queues = this.queues.get(agent.companyCode);
    if (!queues) return;
    let best: { queue: TCall[]; call: TCall } | undefined;
    for (const skillId of agent.skills) {
      const queue = queues.get(skillId);
      const head = queue?.[0];
      if (queue && head && (!best || head.createdAt < best.call.createdAt))
        best = { queue, call: head };
    }
    if (!best) return;
    best.queue.shift();
    this.ringFromQueue(best.call, agent);
  }

  private removeFromQueue(call: TCall): void {
    const queue = this.queues.get(call.companyCode)?.get(call.skillId ?? "");
    const index = queue ? queue.indexOf(call) : -1;
    if (queue && index >= 0) queue.splice(index, 1);
  }

  /** Rings an agent's phone with a new leg on `call`. The caller has checked the agent can ring. */
  ring(call: TCall, agent: TSimAgent, input: TRingInput): TLeg {
    const leg: TLeg = {
      agentId: agent.agentId,
      uuid: input.legUuid ?? call.uuid,
      purpose: input.purpose,
      answered: false,
      monitor: input.monitor ?? false,
      inviter: input.inviter,
      callbackAction: input.callbackAction,
      autoAnswer: input.autoAnswer,
      answerTimer: undefined,
    };
    call.legs.push(leg);
    if (leg.uuid !== call.uuid) this.legIndex.set(leg.uuid, call.uuid);
    agent.returnStatus = returnStatusFrom(agent.status, agent.returnStatus);
    this.update(agent, {
      status: "RINGING",
      callUuid: call.uuid,
      legUuid: leg.uuid,
      inCallNumbers: [input.callerNumber],
    });
    if (!input.silent) {
      this.outbox.toAgent(
        agent,
        callinPush({
          agent,
          uuid: leg.uuid,
          callerNumber: input.callerNumber,
          callinChannel: input.callinChannel,
        }),
      );
    }
    // Softphones answer by themselves: supervisors' legs always, client agents' calls when asked to.
    const softphone =
      SUPERVISOR_PURPOSES.has(leg.purpose) || (leg.autoAnswer && agent.driver === "client");
    if (softphone) {
      leg.answerTimer = this.clock.after(this.settings.softphoneAnswerMs, () =>
        this.answer(call, leg),
      );
    }
    return leg;
  }

  /** The agent's phone picks up whatever rings on it; the caller's own outbound leg waits for the callee. */
  answerAgent(agent: TSimAgent): boolean {
    const call = this.calls.get(agent.callUuid ?? "");
    const leg = call?.legs.find((l) => l.agentId === agent.agentId && !l.answered);
    if (!call || !leg || leg.callbackAction === "CALL") return false;
    this.answer(call, leg);
    return true;
  }

  /** The agent's phone picks up a ringing leg. */
  answer(call: TCall, leg: TLeg): void {
    if (leg.answered || call.state === "ended" || !call.legs.includes(leg)) return;
    leg.answerTimer?.cancel();
    leg.answered = true;
    const agent = this.agent(call.companyCode, leg.agentId);
    if (!agent) return;
    if (call.answeredAt === undefined && call.direction !== "out") this.markConnected(call);
    call.state = "talking";
    const sub = this.subStatusOnAnswer(leg.purpose);
    this.update(agent, { status: "CALLING", subStatus: sub });
    this.afterAnswer(call, leg, agent);
    this.refreshNumbers(call);
  }

  private subStatusOnAnswer(purpose: TLegPurpose): TSubStatus | undefined {
    if (purpose === "eavesdrop") return "EAVESDROP";
    if (purpose === "whisper") return "WHISPER";
    if (purpose === "force_call") return "FORCE_CALL";
    if (purpose === "three_way") return "THREE_WAY";
    return undefined;
  }

  private afterAnswer(call: TCall, leg: TLeg, agent: TSimAgent): void {
    const inviter = leg.inviter ? this.agent(call.companyCode, leg.inviter) : undefined;
    switch (leg.purpose) {
      case "primary":
        if (call.direction === "internal") this.connectCaller(call);
        return;
      case "consult":
        if (inviter)
          this.callback(inviter, "CONSULT", "START_CALL", true, "consult connected", call.uuid);
        return;
      case "trans":
        // Attended transfer: the transferring agent leaves once the target picks up.
        if (inviter?.callUuid === call.uuid && inviter.subStatus === "TRANS") {
          this.callback(inviter, "TRANS", "START_CALL", true, "transfer connected", call.uuid);
          this.leaveByAgent(call, inviter, "agent");
        }
        return;
      case "three_way":
        if (inviter?.callUuid === call.uuid) {
          this.update(inviter, { subStatus: "THREE_WAY" });
          this.callback(inviter, "THREE_WAY", "START_CALL", true, "three-way connected", call.uuid);
        }
        return;
      case "substitute": {
        this.callback(agent, "SUBSTITUTE", "START_CALL", true, "took over the call", leg.uuid);
        const target = leg.inviter ? this.agent(call.companyCode, leg.inviter) : undefined;
        if (target) this.leaveByAgent(call, target, "agent");
        return;
      }
      case "eavesdrop":
      case "whisper":
      case "force_call":
        this.callback(
          agent,
          leg.callbackAction ?? "EAVESDROP",
          "START_CALL",
          true,
          "connected",
          leg.uuid,
        );
        return;
    }
  }

  private markConnected(call: TCall): void {
    call.answeredAt = this.clock.now();
    this.counters.callsAnswered++;
    this.hooks.connected?.(call);
  }

  /** Outbound: the callee picked up, the calling agent's leg connects. */
  private connectCaller(call: TCall): void {
    const callerLeg = call.legs.find((l) => l.callbackAction === "CALL" && !l.answered);
    const caller = callerLeg ? this.agent(call.companyCode, callerLeg.agentId) : undefined;
    if (!callerLeg || !caller) return;
    callerLeg.answerTimer?.cancel();
    callerLeg.answered = true;
    call.state = "talking";
    if (call.answeredAt === undefined) this.markConnected(call);
    this.update(caller, { status: "CALLING" });
    this.callback(caller, "CALL", "START_CALL", true, "callee answered", call.uuid);
  }

  /**
   * `call` request: the agent's phone rings first, then the callee; the agent is CALLING once
   * the callee answers. Internal callees must be FREE; external ones answer or not.
   */
  dial(agent: TSimAgent, calleeNumber: string, callee: TSimAgent | undefined): TCall {
    const call = this.createCall({
      companyCode: agent.companyCode,
      direction: callee ? "internal" : "out",
      customerNumber: callee ? undefined : calleeNumber,
    });
    const leg = this.ring(call, agent, {
      purpose: "primary",
      callerNumber: calleeNumber,
      callinChannel: undefined,
      callbackAction: "CALL",
      autoAnswer: false,
      silent: true,
    });
    this.callback(agent, "CALL", "INITIATE", true, "dialing", call.uuid);
    leg.answerTimer = this.clock.after(this.settings.softphoneAnswerMs, () => {
      if (call.state === "ended") return;
      if (callee) this.ringInternalCallee(call, agent, callee);
      else this.ringExternal(call, calleeNumber, () => this.connectCaller(call));
    });
    return call;
  }

  private ringInternalCallee(call: TCall, caller: TSimAgent, callee: TSimAgent): void {
    if (callee.status !== "FREE") {
      this.failCall(call, caller, "CALL", `callee is ${callee.status}`);
      return;
    }
    this.ring(call, callee, {
      purpose: "primary",
      callerNumber: caller.agentId,
      callinChannel: undefined,
      autoAnswer: true,
    });
  }

  /** An external number rings; it answers after the customer delay, or never (outboundFailRate). */
  ringExternal(call: TCall, number: string, onAnswer: () => void): void {
    const answers = this.rng.next() >= this.settings.outboundFailRate;
    const delay = this.settings.customerAnswerMs * (0.5 + this.rng.next());
    const timer = this.clock.after(delay, () => {
      call.pendingExternals.delete(number);
      if (call.state === "ended") return;
      if (!answers) {
        this.endCall(call);
        return;
      }
      call.externals.push(number);
      onAnswer();
      this.refreshNumbers(call);
    });
    call.pendingExternals.set(number, timer);
  }

  /** Control API: an outbound call whose callee rings until the control API answers it. */
  dialHeld(agent: TSimAgent, number: string): TCall {
    const call = this.createCall({
      companyCode: agent.companyCode,
      direction: "out",
      customerNumber: number,
    });
    this.ring(call, agent, {
      purpose: "primary",
      callerNumber: number,
      callinChannel: undefined,
      callbackAction: "CALL",
      autoAnswer: false,
      silent: true,
    });
    call.pendingExternals.set(number, { cancel: () => undefined });
    return call;
  }

  /** Control API: every ringing leg and external party of the call picks up. */
  answerAll(call: TCall): void {
    for (const [number, timer] of [...call.pendingExternals]) {
      timer.cancel();
      call.pendingExternals.delete(number);
      call.externals.push(number);
    }
    // The caller's own leg of an outbound call connects when its callee answers, not before.
    for (const leg of [...call.legs])
      if (!leg.answered && leg.callbackAction !== "CALL") this.answer(call, leg);
    if (call.direction === "out") this.connectCaller(call);
    this.refreshNumbers(call);
  }

  private failCall(call: TCall, agent: TSimAgent, action: TCallbackAction, msg: string): void {
    this.callback(agent, action, "END_CALL", false, msg, call.uuid);
    const leg = call.legs.find((l) => l.agentId === agent.agentId);
    if (leg) leg.callbackAction = undefined;
    this.endCall(call);
  }

  // ---- consult, transfer, three-way ----

  consult(agent: TSimAgent, call: TCall, number: string, target: TSimAgent | undefined): TCall {
    const consult = this.createCall({
      companyCode: call.companyCode,
      direction: "consult",
      customerNumber: target ? undefined : number,
      parentUuid: call.uuid,
    });
    agent.consultUuid = consult.uuid;
    this.update(agent, { subStatus: "CONSULT", inCallNumbers: [...agent.inCallNumbers, number] });
    this.callback(agent, "CONSULT", "INITIATE", true, "consulting", consult.uuid);
    if (target) {
      this.ring(consult, target, {
        purpose: "consult",
        callerNumber: agent.agentId,
        callinChannel: "CONSULT",
        inviter: agent.agentId,
        autoAnswer: true,
      });
    } else {
      this.ringExternal(consult, number, () =>
        this.callback(agent, "CONSULT", "START_CALL", true, "consult connected", consult.uuid),
      );
    }
    return consult;
  }

  cancelConsult(agent: TSimAgent): boolean {
    if (!agent.consultUuid) return false;
    this.endCallByUuid(agent.consultUuid);
    return true;
  }

  /** Blind transfer to a FREE agent: the target rings with the customer, the agent leaves at once. */
  blindTransferToAgent(agent: TSimAgent, call: TCall, target: TSimAgent): void {
    this.ring(call, target, {
      purpose: "trans",
      callerNumber: call.customerNumber ?? agent.agentId,
      callinChannel: "TRANS",
      autoAnswer: true,
    });
    this.callback(agent, "TRANS", "END_CALL", true, "transferred", call.uuid);
    this.leaveByAgent(call, agent, "agent");
  }

  /** Blind transfer to a skill queue: the ACD takes the customer, the agent leaves at once. */
  transferToSkill(agent: TSimAgent, call: TCall, skillId: string): void {
    call.skillId = skillId;
    this.routeToSkill(call);
    this.callback(agent, "TRANS", "END_CALL", true, "transferred to skill", call.uuid);
    this.leaveByAgent(call, agent, "agent");
  }

  /** Transfer off the floor (IVR, survey, external number): the agent leaves and the call is no longer ours. */
  transferAway(agent: TSimAgent, call: TCall): void {
    this.callback(agent, "TRANS", "END_CALL", true, "transferred", call.uuid);
    this.leaveByAgent(call, agent, "agent");
    this.endCall(call);
  }

  /** Attended transfer: the target rings while the agent waits in TRANS; answering completes it. */
  attendedTransfer(agent: TSimAgent, call: TCall, target: TSimAgent): void {
    this.update(agent, { subStatus: "TRANS" });
    this.callback(agent, "TRANS", "INITIATE", true, "transferring", call.uuid);
    this.ring(call, target, {
      purpose: "trans",
      callerNumber: call.customerNumber ?? agent.agentId,
      callinChannel: "TRANS",
      inviter: agent.agentId,
      autoAnswer: true,
    });
  }

  cancelTransfer(agent: TSimAgent, call: TCall): boolean {
    const leg = call.legs.find(
      (l) => l.purpose === "trans" && l.inviter === agent.agentId && !l.answered,
    );
    if (!leg) return false;
    this.leave(call, leg, "failed");
    this.update(agent, { subStatus: undefined });
    return true;
  }

  /** Consult then transfer: the consulted party takes the customer, the agent leaves. */
  consultToTransfer(agent: TSimAgent, call: TCall): boolean {
    const consult = agent.consultUuid ? this.calls.get(agent.consultUuid) : undefined;
    if (!consult || consult.state !== "talking") return false;
    const targetLeg = consult.legs.find((l) => l.answered);
    consult.legs = [];
    for (const number of consult.externals) call.externals.push(number);
    consult.externals = [];
    agent.consultUuid = undefined;
    this.endCall(consult);
    if (targetLeg) {
      targetLeg.purpose = "trans";
      targetLeg.inviter = undefined;
      call.legs.push(targetLeg);
      const target = this.agent(call.companyCode, targetLeg.agentId);
      if (target) this.update(target, { callUuid: call.uuid, legUuid: call.uuid });
      targetLeg.uuid = call.uuid;
    }
    this.callback(
      agent,
      "CONSULT_TO_TRANS",
      "END_CALL",
      true,
      "transferred after consult",
      call.uuid,
    );
    this.leaveByAgent(call, agent, "agent");
    return true;
  }

  threeWay(agent: TSimAgent, call: TCall, number: string, target: TSimAgent | undefined): void {
    this.callback(agent, "THREE_WAY", "INITIATE", true, "inviting", call.uuid);
    if (target) {
      this.ring(call, target, {
        purpose: "three_way",
        callerNumber: agent.agentId,
        callinChannel: "THREE_WAY",
        inviter: agent.agentId,
        autoAnswer: true,
      });
      return;
    }
    this.ringExternal(call, number, () => {
      this.update(agent, { subStatus: "THREE_WAY" });
      this.callback(agent, "THREE_WAY", "START_CALL", true, "three-way connected", call.uuid);
    });
  }

  // ---- supervisor operations ----

  /** 强拆: every leg of the target's call hangs up; the target counts as hung up by its side. */
  interrupt(supervisor: TSimAgent, target: TSimAgent): void {
    const call = target.callUuid ? this.calls.get(target.callUuid) : undefined;
    if (call) {
      this.leaveByAgent(call, target, "agent");
      this.endCall(call);
    }
    this.callback(supervisor, "INTERRUPT_CALL", "END_CALL", true, "call interrupted", call?.uuid);
  }

  /** 代接 / 监听 / 耳语 / 强插: a new leg rings the supervisor's own extension, linked to the target's call. */
  superviseCall(
    supervisor: TSimAgent,
    target: TSimAgent,
    op: "substitute" | "eavesdrop" | "whisper" | "force_call",
  ): string {
    const call = this.calls.get(target.callUuid ?? "");
    if (!call) throw new Error("target has no call");
    const action = op.toUpperCase() as TCallbackAction;
    const leg = this.ring(call, supervisor, {
      purpose: op,
      callerNumber: call.customerNumber ?? target.agentId,
      callinChannel: action,
      inviter: target.agentId,
      callbackAction: action,
      autoAnswer: true,
      legUuid: this.newUuid(op),
      monitor: op === "eavesdrop" || op === "whisper",
    });
    this.callback(supervisor, action, "INITIATE", true, "ringing supervisor", leg.uuid, call.uuid);
    return leg.uuid;
  }

  // ---- hang-up ----

  /** `hangup` request or the model's agent ending a call. */
  hangupByAgent(agent: TSimAgent, call: TCall): void {
    if (call.uuid === agent.consultUuid) {
      this.endCall(call);
      return;
    }
    this.leaveByAgent(call, agent, "agent");
  }

  /**
   * The customer hangs up: the call ends for everyone on it (a barging supervisor or a
   * conferenced colleague included), who follow the "other side hung up first" rule.
   */
  customerHangup(call: TCall): void {
    this.endCall(call);
  }

  private leaveByAgent(call: TCall, agent: TSimAgent, cause: THangupCause): void {
    const leg = call.legs.find((l) => l.agentId === agent.agentId);
    if (leg) this.leave(call, leg, cause);
  }

  /** One agent's leg ends; the agent follows the hang-up rules, then the call may end too. */
  private leave(call: TCall, leg: TLeg, cause: THangupCause): void {
    const index = call.legs.indexOf(leg);
    if (index < 0) return;
    call.legs.splice(index, 1);
    leg.answerTimer?.cancel();
    if (leg.uuid !== call.uuid) this.legIndex.delete(leg.uuid);
    const agent = this.agent(call.companyCode, leg.agentId);
    if (agent && agent.callUuid === call.uuid) {
      if (agent.consultUuid) this.endCallByUuid(agent.consultUuid);
      const effective: THangupCause = leg.answered ? cause : "failed";
      this.settleAgent(agent, effective);
      if (leg.callbackAction) {
        this.callback(
          agent,
          leg.callbackAction,
          "END_CALL",
          leg.answered,
          leg.answered ? "call ended" : "not answered",
          leg.uuid,
        );
      }
    }
    this.settle(call);
  }

  private settleAgent(agent: TSimAgent, cause: THangupCause): void {
    const after = statusAfterCall({
      callStopStatus: agent.callStopStatus,
      cause,
      returnStatus: agent.returnStatus,
      arrangeSeconds: this.settings.arrangeSeconds,
    });
    agent.callStopStatus = undefined;
    const patch = {
      callUuid: undefined,
      legUuid: undefined,
      inCallNumbers: [],
      subStatus: undefined,
    };
    if (after.arrange) {
      this.arrange(agent, agent.returnStatus, "hangup", patch);
    } else {
      this.update(agent, { ...patch, status: after.status }, "hangup");
    }
  }

  /** Ends the call when no agent is on it or fewer than two parties remain. */
  private settle(call: TCall): void {
    if (call.state === "ended" || call.state === "queued") return;
    const active = call.legs.filter((l) => !l.monitor);
    // A consult call's initiator stays on the main call, so it is not one of the legs.
    const inviter = call.direction === "consult" ? 1 : 0;
    const parties = active.length + call.externals.length + call.pendingExternals.size + inviter;
    if ((active.length === 0 && inviter === 0) || parties < 2) this.endCall(call);
    else this.refreshNumbers(call);
  }

  endCallByUuid(uuid: string): void {
    const call = this.calls.get(uuid);
    if (call) this.endCall(call);
  }

  /** Ends the call: every remaining leg hangs up as "the other side hung up first". */
  endCall(call: TCall): void {
    if (call.state === "ended") return;
    call.state = "ended";
    call.abandonTimer?.cancel();
    for (const timer of call.pendingExternals.values()) timer.cancel();
    call.pendingExternals.clear();
    this.removeFromQueue(call);
    this.calls.delete(call.uuid);
    this.counters.callsEnded++;
    for (const leg of [...call.legs]) this.leave(call, leg, "remote");
    call.externals = [];
    if (call.parentUuid) this.clearConsultOf(call);
    this.hooks.ended?.(call);
  }

  private clearConsultOf(consult: TCall): void {
    const parent = this.calls.get(consult.parentUuid ?? "");
    if (!parent) return;
    for (const leg of parent.legs) {
      const agent = this.agent(parent.companyCode, leg.agentId);
      if (agent?.consultUuid !== consult.uuid) continue;
      agent.consultUuid = undefined;
      this.update(agent, { subStatus: undefined });
      this.refreshNumbers(parent);
    }
  }

  /** in_call_numbers of every agent on the call: everyone else connected to it. */
  private refreshNumbers(call: TCall): void {
    if (call.state === "ended") return;
    const connected = call.legs.filter((l) => l.answered && !l.monitor);
    for (const leg of call.legs) {
      const agent = this.agent(call.companyCode, leg.agentId);
      if (!agent || agent.callUuid !== call.uuid || !leg.answered) continue;
      const others = connected.filter((l) => l !== leg).map((l) => l.agentId);
      const numbers = [...call.externals, ...others];
      const consult = agent.consultUuid ? this.calls.get(agent.consultUuid) : undefined;
      if (consult) numbers.push(...consult.legs.map((l) => l.agentId), ...consult.externals);
      this.update(agent, { inCallNumbers: numbers });
    }
  }

  private callback(
    agent: TSimAgent,
    action: TCallbackAction,
    phase: "INITIATE" | "START_CALL" | "END_CALL",
    success: boolean,
    msg: string,
    uuid: string | undefined,
    peerUuid?: string,
  ): void {
    this.outbox.toAgent(
      agent,
      callbackPush({ agent, action, phase, success, msg, uuid, peerUuid, now: this.clock.now() }),
    );
  }

  /** Ends every call and timer (reset, close). */
  clearCalls(): void {
    for (const call of [...this.calls.values()]) this.endCall(call);
    for (const queues of this.queues.values())
      for (const queue of queues.values()) queue.length = 0;
  }
}
