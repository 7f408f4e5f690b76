import "server-only";
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { TViewer } from "@/lib/auth/viewer";
import { canAccessCompany } from "@/lib/auth/viewer";
import type { TFloorAgent } from "@/lib/floor/types";
import {
  isFinal,
  ZInterventionInput,
  type TInterventionInput,
  type TInterventionView,
  type TOperation,
  type TStage,
} from "@/lib/interventions/types";
import { readString, type WireRecord } from "@/lib/protocol/normalize";
import type { TServiceResult } from "../action-client";
import type { TRequestMeta } from "../auth/request-meta";
import { actorOf } from "../auth/service";
import { CtiRequestError } from "../cti/channel";
import type { Floor } from "../floor/floor";
import type { TFloorChange } from "../floor/store";
import type { TNodeState } from "../state/node-state";
import { SharedStateError } from "../state/shared-state-error";
import type { InterventionRecords, TInterventionContext } from "./records";
import { ZInterventionResult } from "./relay-messages";
import { relayRefusal, type SeatService } from "./seat-service";
import type { SeatChannel } from "../cti/seat";
import { interventionSettings } from "./settings";
import type { PrismaClient } from "@/generated/prisma/client";

export interface PipelineDeps {
  db: PrismaClient;
  floor: Floor;
  seats: SeatService;
  records: InterventionRecords;
  state: TNodeState;
  log: Logger;
  confirmMs: number;
  idempotencyTtlMs: number;
  /**
   * A claimed key's life until its answer is stored: a request whose node died while it ran
   * leaves a claim behind, and a retry with the key must not wait on it for IDEMPOTENCY_TTL_MS.
   */
  idempotencyClaimMs: number;
  /** Sends an intervention's new stage to the company's supervisors. */
  publish: (view: TInterventionView) => void;
}

type TInterventionRequest = ReturnType<typeof ZInterventionInput.parse>;

/** An intervention's answer, and whether it was recorded (its key then stands for it). */
interface TStarted {
  result: TServiceResult<TInterventionView>;
  recorded: boolean;
}

/** A lock on a call is held until the outcome, and a little longer than any confirmation. */
function lockKey(companyCode: string, callUuid: string): string {
  return `call:${companyCode}:${callUuid}`;
}

interface Active {
  ctx: TInterventionContext;
  operation: TOperation;
  targetAgentId: string;
  seatAgentId: string;
  callUuid: string;
  lockToken: string;
  stage: TStage;
  ackedAt?: number;
  /** Take over: the supervisor's phone answered the call (callback SUBSTITUTE START_CALL). */
  phoneUp?: boolean;
  targetLeft?: boolean;
  deadline?: NodeJS.Timeout;
  /** Checks the floor again for the outcome (set once the CTI acknowledged). */
  recheck?: () => void;
  unsubscribe: () => void;
}

/**
 * Force hang-up and take over, one pipeline for both: idempotency key → lock on the call →
 * stale check → REQUESTED written durably → request on the supervisor's seat → ACKED or FAILED
 * → the floor shows it happened (CONFIRMED) or not within the deadline (UNCONFIRMED). Expected
 * failures come back as codes; every stage is audited and published.
 */
export class InterventionPipeline {
  private readonly active = new Map<string, Active>();
  /** Which intervention holds each call, for "already in progress by … (stage)". */
  private readonly byCall = new Map<string, string>();

  constructor(private readonly deps: PipelineDeps) {}

  async run(
    operation: TOperation,
    viewer: TViewer,
    raw: TInterventionInput,
    meta: TRequestMeta,
  ): Promise<TServiceResult<TInterventionView>> {
    const input = ZInterventionInput.parse(raw);
    const key = `intervention:${viewer.id}:${input.idempotencyKey}`;
    let outcome: TStarted;
    try {
      const claim = await this.deps.state.idempotency.begin(key, this.deps.idempotencyClaimMs);
      if (claim.state === "done") return this.stored(claim.result, viewer, input);
      if (claim.state === "pending") return this.awaitFirst(key, viewer, input);
      try {
        outcome = await this.start(operation, viewer, input, meta);
      } catch (error) {
        await this.deps.state.idempotency.abandon(key).catch(() => {});
        throw error;
      }
    } catch (error) {
      // Without the shared key or lock nothing was recorded or sent: refused, not failed.
      if (error instanceof SharedStateError) {
        this.deps.log.error({ err: error }, "intervention refused: shared state unreachable");
        return { ok: false, code: "shared_state_down" };
      }
      throw error;
    }
    // Once an intervention is recorded, the key stands for it; a refusal before that may be
    // retried with the same key (the supervisor links the seat, writes the reason, ...).
    try {
      if (outcome.recorded) {
        const stored = JSON.stringify(outcome.result);
        await this.deps.state.idempotency.complete(key, stored, this.deps.idempotencyTtlMs);
      } else await this.deps.state.idempotency.abandon(key);
    } catch (error) {
      // The answer stands: a retry finds the recorded intervention by its key in the database.
      this.deps.log.warn({ err: error }, "idempotency key not updated");
    }
    return outcome.result;
  }

  /** The same key is being handled: wait for its result (a double click, a quick retry). */
  private async awaitFirst(
    key: string,
    viewer: TViewer,
    input: TInterventionRequest,
  ): Promise<TServiceResult<TInterventionView>> {
    for (let waited = 0; waited < 30_000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const claim = await this.deps.state.idempotency.begin(key, this.deps.idempotencyClaimMs);
      if (claim.state === "done") return this.stored(claim.result, viewer, input);
      if (claim.state === "new") {
        await this.deps.state.idempotency.abandon(key);
        return { ok: false, code: "cti_down" };
      }
    }
    return { ok: false, code: "cti_timeout" };
  }

  /**
   * A result stored under the key, maybe by another node of another version: validated, and if
   * it cannot be read, the recorded intervention it stands for.
   */
  private async stored(
    raw: string,
    viewer: TViewer,
    input: TInterventionRequest,
  ): Promise<TServiceResult<TInterventionView>> {
    try {
      const parsed = ZInterventionResult.safeParse(JSON.parse(raw));
      if (parsed.success) return parsed.data;
    } catch {
      // Not JSON: read the record below.
    }
    const earlier = await this.deps.records.byIdempotencyKey(viewer.id, input.idempotencyKey);
    if (earlier) return { ok: true, data: earlier };
    throw new Error("stored idempotency result not readable and no intervention recorded");
  }

  /**
   * Everything after the key's claim: on this node when it holds the supervisor's seat,
   * otherwise on the node that does (the seat never moves; the request does).
   */
  private async start(
    operation: TOperation,
    viewer: TViewer,
    input: TInterventionRequest,
    meta: TRequestMeta,
  ): Promise<TStarted> {
    const seats = this.deps.seats;
    if (!seats.seat(viewer.id) && !seats.reconnecting(viewer.id)) {
      const routed = await seats.route(viewer.id, {
        kind: "intervention",
        operation,
        viewer,
        input,
        meta,
      });
      if (routed.to === "gone")
        return { result: { ok: false, code: "seat_node_gone" }, recorded: false };
      if (routed.to === "node") {
        const { outcome } = routed;
        if (outcome.ok) return outcome.value;
        // Delivered but unanswered: a retry with the same key finds it in the database if it ran.
        return { result: relayRefusal(outcome.failure), recorded: false };
      }
    }
    return this.startHere(operation, viewer, input, meta);
  }

  /** An intervention on this node's seat (also what another node's request runs). */
  async startHere(
    operation: TOperation,
    viewer: TViewer,
    input: TInterventionRequest,
    meta: TRequestMeta,
  ): Promise<TStarted> {
    // The key outlives this process's memory: the database knows every recorded one.
    const earlier = await this.deps.records.byIdempotencyKey(viewer.id, input.idempotencyKey);
    if (earlier) return { result: { ok: true, data: earlier }, recorded: true };
    const refusal = await this.refusal(operation, viewer, input);
    if ("refused" in refusal) return { result: refusal.refused, recorded: false };
    const result = await this.send(operation, viewer, input, meta, refusal);
    return { result, recorded: result.ok || result.code !== "audit_failed" };
  }

  /** Every check made before anything is recorded or sent. */
  private async refusal(
    operation: TOperation,
    viewer: TViewer,
    input: TInterventionRequest,
  ): Promise<
    | { refused: TServiceResult<TInterventionView> }
    | { seat: SeatChannel; target: TFloorAgent; id: string; lockToken: string }
  > {
    const { companyCode, targetAgentId, callUuid } = input;
    if (!canAccessCompany(viewer, companyCode))
      return { refused: { ok: false, code: "forbidden_company" } };
    const settings = await interventionSettings(this.deps.db, companyCode);
    if (settings.reasonRequired && input.reason === "")
      return { refused: { ok: false, code: "reason_required" } };
    const seat = this.deps.seats.seat(viewer.id);
    if (!seat || seat.status.companyCode !== companyCode) {
      const code = this.deps.seats.reconnecting(viewer.id) ? "cti_down" : "seat_not_linked";
      return { refused: { ok: false, code } };
    }
    const seatStatus = this.deps.seats.agentStatus(viewer.id);
    if (seatStatus !== undefined && seatStatus !== "FREE" && seatStatus !== "BUSY") {
      return { refused: { ok: false, code: "seat_not_ready", values: { status: seatStatus } } };
    }
    const store = this.deps.floor.store(companyCode);
    const target = store?.agent(targetAgentId);
    if (!store || !target) return { refused: { ok: false, code: "unknown_agent" } };
    const stale = staleness(target, callUuid, operation);
    if (stale) return { refused: { ok: false, code: stale } };

    const id = randomUUID();
    const lock = await this.deps.state.locks.acquire(
      lockKey(companyCode, callUuid),
      id,
      viewer.name,
      this.deps.confirmMs + 60_000,
    );
    if (!lock.ok) {
      // The holder may be running on another node: its row says where it stands.
      const stage =
        this.active.get(lock.holder.owner)?.stage ??
        (await this.deps.records.stageOf(lock.holder.owner)) ??
        "requested";
      return {
        refused: {
          ok: false,
          code: "intervention_in_progress",
          values: { name: lock.holder.label, stage },
        },
      };
    }
    return { seat, target, id, lockToken: lock.token };
  }

  /** Recorded, then sent on the seat; resolves with the CTI's answer (ACKED or FAILED). */
  private async send(
    operation: TOperation,
    viewer: TViewer,
    input: TInterventionRequest,
    meta: TRequestMeta,
    {
      seat,
      target,
      id,
      lockToken,
    }: { seat: SeatChannel; target: TFloorAgent; id: string; lockToken: string },
  ): Promise<TServiceResult<TInterventionView>> {
    const { companyCode, targetAgentId, callUuid } = input;
    const ctx: TInterventionContext = { id, companyCode, actor: actorOf(viewer), meta };
    const seatAgentId = seat.status.agentId;
    try {
      await this.deps.records.create(
        {
          id,
          companyCode,
          operation,
          actorId: viewer.id,
          actorName: viewer.name,
          seatAgentId,
          targetAgentId,
          callUuid,
          reason: input.reason,
          idempotencyKey: input.idempotencyKey,
        },
        ctx,
      );
    } catch (error) {
      await this.deps.state.locks
        .release(lockKey(companyCode, callUuid), lockToken)
        .catch(() => {});
      this.deps.log.error(
        { err: error, interventionId: id },
        "intervention not recorded: not sent",
      );
      return { ok: false, code: "audit_failed" };
    }
    const active: Active = {
      ctx,
      operation,
      targetAgentId,
      seatAgentId,
      callUuid,
      lockToken,
      stage: "requested",
      unsubscribe: () => {},
    };
    this.active.set(id, active);
    this.byCall.set(lockKey(companyCode, callUuid), id);
    void this.publish(id);

    // The supervisor's phone may ring before the CTI's answer arrives: listen from the start.
    if (operation === "substitute") this.followPhone(active, seat);
    const sentAt = Date.now();
    const answer = seat.request(operation, {
      operated_agent_id: targetAgentId,
      operated_ext_id: target.extId,
    });
    await this.step(active, { type: "intervention.sent", data: { interventionId: id } }, "sent");
    let frame: WireRecord;
    try {
      frame = await answer;
    } catch (error) {
      const timeout = error instanceof CtiRequestError && error.kind === "timeout";
      const message = error instanceof Error ? error.message : String(error);
      await this.finish(
        active,
        {
          type: "intervention.failed",
          data: {
            interventionId: id,
            cause: timeout ? "timeout" : "cti_down",
            code: timeout ? "timeout" : "cti_down",
            msg: message.slice(0, 512),
            latencyMs: Date.now() - sentAt,
          },
        },
        "failed",
        { code: timeout ? "timeout" : "cti_down", message },
      );
      return { ok: false, code: timeout ? "cti_timeout" : "cti_down" };
    }
    const latencyMs = Date.now() - sentAt;
    const code = readString(frame, "code") ?? "";
    const msg = (readString(frame, "msg") ?? "").slice(0, 512);
    if (code !== "0") {
      await this.finish(
        active,
        {
          type: "intervention.failed",
          data: { interventionId: id, cause: "cti", code, msg, latencyMs },
        },
        "failed",
        { code, message: msg },
      );
      return code === "4016"
        ? { ok: false, code: "target_not_in_call" }
        : { ok: false, code: "cti_refused", values: { code, msg } };
    }
    const legUuid = readString(frame, "uuid");
    active.ackedAt = Date.now();
    await this.step(
      active,
      {
        type: "intervention.acked",
        data: { interventionId: id, latencyMs, ...(legUuid ? { legUuid } : {}) },
      },
      "acked",
    );
    this.watch(active);
    const view = await this.deps.records.view(id);
    return view ? { ok: true, data: view } : { ok: false, code: "audit_failed" };
  }

  /** After the CTI's ack: the floor (and for take over, the supervisor's phone) must show it. */
  private watch(active: Active): void {
    const store = this.deps.floor.store(active.ctx.companyCode);
    const check = () => {
      const target = store?.agent(active.targetAgentId);
      active.targetLeft ||= !target || callOf(target) !== active.callUuid;
      if (active.targetLeft && (active.operation === "interrupt_call" || active.phoneUp)) {
        void this.confirm(active);
      }
    };
    const onChange = (change: TFloorChange) => {
      if (change.agents.some((a) => a.agentId === active.targetAgentId)) check();
    };
    store?.on("change", onChange);
    active.recheck = check;
    const offPhone = active.unsubscribe;
    active.unsubscribe = () => {
      store?.off("change", onChange);
      offPhone();
    };
    active.deadline = setTimeout(() => void this.expire(active), this.deps.confirmMs);
    active.deadline.unref();
    check();
  }

  private followPhone(active: Active, seat: SeatChannel): void {
    const onPush = (frame: WireRecord) =>
      void this.onPhone(active, frame).then(() => active.recheck?.());
    seat.on("push", onPush);
    active.unsubscribe = () => seat.off("push", onPush);
  }

  /** Take over follows the supervisor's phone: callin SUBSTITUTE, then START_CALL and END_CALL. */
  private async onPhone(active: Active, frame: WireRecord): Promise<void> {
    const type = readString(frame, "msg_type");
    const channel = readString(frame, "callin_channel");
    const action = readString(frame, "action");
    const phase = readString(frame, "phase");
    const uuid = readString(frame, "uuid");
    let event: "callin" | "start_call" | "end_call" | undefined;
    if (type === "callin" && channel === "SUBSTITUTE") event = "callin";
    else if (type === "callback" && action === "SUBSTITUTE" && phase === "START_CALL")
      event = "start_call";
    else if (type === "callback" && action === "SUBSTITUTE" && phase === "END_CALL")
      event = "end_call";
    if (!event) return;
    if (event === "start_call") active.phoneUp = true;
    await this.step(active, {
      type: "intervention.phone",
      data: { interventionId: active.ctx.id, event, ...(uuid ? { uuid } : {}) },
    });
    // The supervisor hung up: nothing more of this take over will come on the seat.
    if (event === "end_call" && active.stage === "confirmed") active.unsubscribe();
  }

  private async confirm(active: Active): Promise<void> {
    if (isFinal(active.stage)) return;
    await this.finish(
      active,
      {
        type: "intervention.confirmed",
        data: {
          interventionId: active.ctx.id,
          latencyMs: Date.now() - (active.ackedAt ?? Date.now()),
        },
      },
      "confirmed",
    );
  }

  private async expire(active: Active): Promise<void> {
    if (isFinal(active.stage)) return;
    await this.finish(
      active,
      {
        type: "intervention.unconfirmed",
        data: { interventionId: active.ctx.id, deadlineMs: this.deps.confirmMs },
      },
      "unconfirmed",
    );
  }

  /** A final stage: recorded, published, lock released; later phone events are still recorded. */
  private async finish(
    active: Active,
    body: Parameters<InterventionRecords["advance"]>[1],
    stage: TStage,
    failure?: { code: string; message: string },
  ): Promise<void> {
    active.stage = stage;
    clearTimeout(active.deadline);
    if (stage !== "confirmed" || active.operation !== "substitute") active.unsubscribe();
    else this.keepPhoneEvents(active);
    await this.step(active, body, stage, failure);
    const key = lockKey(active.ctx.companyCode, active.callUuid);
    // A lock not released (Redis away) ends with its ttl.
    await this.deps.state.locks
      .release(key, active.lockToken)
      .catch((error: unknown) =>
        this.deps.log.warn({ err: error, interventionId: active.ctx.id }, "call lock not released"),
      );
    if (this.byCall.get(key) === active.ctx.id) this.byCall.delete(key);
    this.active.delete(active.ctx.id);
  }

  /** A take over's END_CALL comes when the supervisor hangs up, long after CONFIRMED. */
  private keepPhoneEvents(active: Active): void {
    const unsubscribe = active.unsubscribe;
    const stop = setTimeout(() => active.unsubscribe(), 4 * 3600_000);
    stop.unref();
    active.unsubscribe = () => {
      clearTimeout(stop);
      unsubscribe();
    };
  }

  private async step(
    active: Active,
    body: Parameters<InterventionRecords["advance"]>[1],
    stage?: TStage,
    failure?: { code: string; message: string },
  ): Promise<void> {
    if (stage) active.stage = stage;
    try {
      await this.deps.records.advance(active.ctx, body, stage, failure);
    } catch (error) {
      // The request is already on its way: say so in the log; INTERRUPTED marks it at restart.
      this.deps.log.error(
        { err: error, interventionId: active.ctx.id, stage },
        "intervention stage not recorded",
      );
      return;
    }
    await this.publish(active.ctx.id);
  }

  private async publish(id: string): Promise<void> {
    const view = await this.deps.records.view(id);
    if (view) this.deps.publish(view);
  }

  stop(): void {
    for (const active of this.active.values()) {
      clearTimeout(active.deadline);
      active.unsubscribe();
    }
  }
}

function callOf(agent: TFloorAgent): string | undefined {
  return agent.status === "RINGING" || agent.status === "CALLING" ? agent.uuid : undefined;
}

/** Refuses to act on a call the target is no longer on (its next call must not be cut). */
function staleness(
  target: TFloorAgent,
  callUuid: string,
  operation: TOperation,
): "target_left_call" | "target_not_in_call" | undefined {
  const call = callOf(target);
  if (call === undefined) return "target_left_call";
  if (call !== callUuid) return "target_left_call";
  if (operation === "substitute" && target.status !== "CALLING") return "target_not_in_call";
  return undefined;
}
