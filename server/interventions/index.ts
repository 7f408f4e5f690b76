import "server-only";
import type { Logger } from "pino";
import type { PrismaClient } from "@/generated/prisma/client";
import type { TViewer } from "@/lib/auth/viewer";
import type {
  TInterventionSettings,
  TInterventionView,
  TSeatView,
} from "@/lib/interventions/types";
import type { TServiceResult } from "../action-client";
import { auditedChange } from "../audit/log";
import type { TRequestMeta } from "../auth/request-meta";
import { actorOf } from "../auth/service";
import type { CtiLink } from "../cti/link";
import type { Floor } from "../floor/floor";
import type { TNodeState } from "../state/node-state";
import { InterventionPipeline } from "./pipeline";
import { InterventionRecords } from "./records";
import type { TRelayRequest } from "./relay-messages";
import { SeatCluster, type TSeatClusterOptions } from "./seat-cluster";
import { SeatService } from "./seat-service";
import { interventionSettings, settingsKey } from "./settings";

export interface InterventionsDeps {
  cti: CtiLink;
  floor: Floor;
  db: PrismaClient;
  state: TNodeState;
  log: Logger;
  confirmMs: number;
  idempotencyTtlMs: number;
  /** How long a claimed key waits for its answer before another request may run it. */
  idempotencyClaimMs: number;
  publishIntervention: (view: TInterventionView) => void;
  publishSeat: (ownerId: string, seat: TSeatView) => void;
  /** Several nodes (REDIS_URL): the seat directory and relay in Redis. */
  cluster?: Omit<TSeatClusterOptions, "log">;
  /** This node's id, recorded with every intervention it runs. */
  nodeId?: string;
  /**
   * Several nodes: at start, end only this node's own unfinished interventions (the others'
   * belong to live nodes, or are ended by a survivor when their node is lost: interruptNode).
   */
  shared?: boolean;
}

/** Seats, the intervention pipeline and their record: what the actions and routes reach. */
export class Interventions {
  readonly seats: SeatService;
  readonly records: InterventionRecords;
  readonly pipeline: InterventionPipeline;
  private readonly cluster: SeatCluster | undefined;

  constructor(private readonly deps: InterventionsDeps) {
    this.records = new InterventionRecords(deps.db, deps.nodeId);
    this.cluster = deps.cluster && new SeatCluster({ ...deps.cluster, log: deps.log });
    this.seats = new SeatService({
      cti: deps.cti,
      db: deps.db,
      log: deps.log,
      publish: deps.publishSeat,
      ...(this.cluster ? { cluster: this.cluster } : {}),
    });
    this.pipeline = new InterventionPipeline({
      db: deps.db,
      floor: deps.floor,
      seats: this.seats,
      records: this.records,
      state: deps.state,
      log: deps.log,
      confirmMs: deps.confirmMs,
      idempotencyTtlMs: deps.idempotencyTtlMs,
      idempotencyClaimMs: deps.idempotencyClaimMs,
      publish: deps.publishIntervention,
    });
  }

  /**
   * What the previous process left: interventions without an outcome end INTERRUPTED (never
   * vanish), and seats it held are closed (their supervisors are told to link again).
   */
  async start(): Promise<void> {
    const own = this.deps.shared ? { nodeId: this.deps.nodeId ?? null } : "all";
    for (const view of await this.records.interruptUnfinished(own)) {
      this.deps.log.warn({ interventionId: view.id }, "intervention interrupted by a restart");
      this.deps.publishIntervention(view);
    }
    await this.seats.recordRestart();
    await this.cluster?.start({
      handle: (request) => this.handle(request),
      localSeats: () => this.seats.localSeats(),
      closeGone: (ownerId, entry) => this.seats.closeGone(ownerId, entry),
    });
  }

  /** Several nodes: a node was lost; what it left without an outcome ends INTERRUPTED. */
  async interruptNode(nodeId: string | null): Promise<void> {
    for (const view of await this.records.interruptUnfinished({ nodeId }, "node-lost")) {
      this.deps.log.warn(
        { interventionId: view.id, lostNode: nodeId },
        "intervention interrupted: its node was lost",
      );
      this.deps.publishIntervention(view);
    }
  }

  async stop(): Promise<void> {
    this.pipeline.stop();
    await this.seats.stop();
    await this.cluster?.stop();
  }

  /** A request from another node for a seat this node holds. */
  private handle(request: TRelayRequest): Promise<unknown> {
    switch (request.kind) {
      case "intervention":
        return this.pipeline.startHere(
          request.operation,
          request.viewer,
          request.input,
          request.meta,
        );
      case "seat-status":
        return this.seats.setAgentStatusHere(request.ownerId, request.status);
      case "seat-unlink":
        return this.seats
          .unlinkHere(request.ownerId, request.meta, request.reason)
          .then((view) => ({ ok: true, data: view }));
    }
  }

  settings(companyCode: string): Promise<TInterventionSettings> {
    return interventionSettings(this.deps.db, companyCode);
  }

  /** An admin changes a company's settings; audited with before and after. */
  async saveSettings(
    viewer: TViewer,
    companyCode: string,
    after: TInterventionSettings,
    meta: TRequestMeta,
  ): Promise<TServiceResult<TInterventionSettings>> {
    const before = await this.settings(companyCode);
    const key = settingsKey(companyCode);
    const value = JSON.stringify(after);
    await auditedChange(
      {
        type: "intervention_settings.updated",
        data: { companyCode, before, after },
        actor: actorOf(viewer),
        companyCode,
        ...meta,
      },
      (tx) => tx.setting.upsert({ where: { key }, create: { key, value }, update: { value } }),
    );
    return { ok: true, data: after };
  }
}
