import "server-only";
import type { Logger } from "pino";
import type { PrismaClient } from "@/generated/prisma/client";
import type { TViewer } from "@/lib/auth/viewer";
import type { TLinkSeatInput, TSeatView } from "@/lib/interventions/types";
import { ZLinkSeatInput } from "@/lib/interventions/types";
import { companyOfId } from "@/lib/protocol/handshake";
import { readString, type WireRecord } from "@/lib/protocol/normalize";
import type { TServiceResult } from "../action-client";
import { appendAuditEvent } from "../audit/log";
import type { TRequestMeta } from "../auth/request-meta";
import { actorOf } from "../auth/service";
import type { CtiLink } from "../cti/link";
import type { SeatChannel, TSeatStatus } from "../cti/seat";
import { SharedStateError } from "../state/shared-state-error";
import type { TRelayRequest } from "./relay-messages";
import type { SeatCluster } from "./seat-cluster";
import type { TSeatEntry } from "./seat-directory";
import type { TRelayOutcome } from "./seat-relay";

export interface SeatServiceDeps {
  cti: CtiLink;
  db: PrismaClient;
  log: Logger;
  /** Sends a seat's new view to its owner's sockets (on every node). */
  publish: (ownerId: string, seat: TSeatView) => void;
  /** With several nodes: where each seat is, and the way to a seat on another node. */
  cluster?: SeatCluster;
}

/** Where a request about an owner's seat must go when this node does not hold it. */
export type TRouted<K extends TRelayRequest["kind"]> =
  { to: "none" } | { to: "gone" } | { to: "node"; outcome: TRelayOutcome<K> };

interface Tracked {
  seat: SeatChannel;
  agentStatus?: string;
  expiry?: NodeJS.Timeout;
}

/**
 * The supervisors' seats of this node: linking (with the check that the CTI agent is not in use
 * elsewhere), the seat agent's own state for the header, FREE/BUSY, unlinking on sign-out and at
 * the session's end. Every link and unlink is audited; the password never is. With several
 * nodes a seat stays where it was linked: FREE/BUSY, unlink and the header's view reach it from
 * any node through the cluster (server/interventions/seat-cluster.ts).
 */
export class SeatService {
  private readonly tracked = new Map<string, Tracked>();

  constructor(private readonly deps: SeatServiceDeps) {}

  /** The seat the owner has on this node, if linked. */
  seat(ownerId: string): SeatChannel | undefined {
    const entry = this.tracked.get(ownerId);
    return entry && entry.seat.status.state === "linked" ? entry.seat : undefined;
  }

  /** The owner's seat is waiting for the CTI to come back (it checks in again by itself). */
  reconnecting(ownerId: string): boolean {
    return this.tracked.get(ownerId)?.seat.status.state === "linking";
  }

  agentStatus(ownerId: string): string | undefined {
    return this.tracked.get(ownerId)?.agentStatus;
  }

  async link(
    viewer: TViewer,
    raw: TLinkSeatInput,
    meta: TRequestMeta,
  ): Promise<TServiceResult<TSeatView>> {
    const input = ZLinkSeatInput.parse(raw);
    const agentId = viewer.ctiAgentId;
    const companyCode = agentId === undefined ? undefined : companyOfId(agentId);
    if (agentId === undefined || companyCode === undefined)
      return { ok: false, code: "no_cti_agent" };
    try {
      if (!input.force) {
        const elsewhere = await this.statusElsewhere(viewer.id, companyCode, agentId);
        if (elsewhere !== undefined) {
          return { ok: false, code: "seat_in_use", values: { agentId, status: elsewhere } };
        }
      }
      // The owner's seat on any node is checked out first (there is one seat per owner).
      await this.unlink(viewer.id, meta, "relinked");
    } catch (error) {
      if (error instanceof SharedStateError) return { ok: false, code: "shared_state_down" };
      throw error;
    }
    const status = await this.deps.cti.seats.link(
      viewer.id,
      { companyCode, agentId, ...(viewer.ctiExtId ? { extId: viewer.ctiExtId } : {}) },
      input.password,
    );
    if (status.state !== "linked") return { ok: false, ...refusalOf(status) };
    const seat = this.deps.cti.seats.get(viewer.id);
    if (!seat) return { ok: false, code: "seat_cti_down" };
    const entry: Tracked = { seat };
    this.tracked.set(viewer.id, entry);
    seat.on("status", (next) => {
      this.publish(viewer.id);
      if (next.state === "lost") void this.auditLoss(viewer.id, next);
    });
    seat.on("push", (frame) => this.onPush(viewer.id, agentId, frame));
    this.armExpiry(viewer, entry);
    try {
      // In the directory before the audit log says it is linked (a starting node reads both).
      await this.deps.cluster?.directory.claim(
        viewer.id,
        { companyCode, agentId },
        this.view(viewer.id),
      );
    } catch (error) {
      if (!(error instanceof SharedStateError)) throw error;
      // Other nodes could not reach it: checked out again, never left linked unseen.
      this.tracked.delete(viewer.id);
      clearTimeout(entry.expiry);
      await this.deps.cti.seats.unlink(viewer.id);
      return { ok: false, code: "shared_state_down" };
    }
    await appendAuditEvent({
      type: "seat.linked",
      data: { agentId, ...(status.extId ? { extId: status.extId } : {}), forced: input.force },
      actor: actorOf(viewer),
      companyCode,
      ...meta,
    });
    await this.refreshAgentStatus(viewer.id, agentId);
    return { ok: true, data: this.view(viewer.id) };
  }

  /**
   * Checks out and forgets the owner's seat wherever it is (sign-out, unlink, session end, a new
   * link); on another node, through the cluster.
   */
  async unlink(
    ownerId: string,
    meta: TRequestMeta,
    reason: string,
  ): Promise<TServiceResult<TSeatView>> {
    if (this.tracked.has(ownerId) || !this.deps.cluster)
      return { ok: true, data: await this.unlinkHere(ownerId, meta, reason) };
    const routed = await this.routeOrRefuse(ownerId, {
      kind: "seat-unlink",
      ownerId,
      meta,
      reason,
    });
    if ("refused" in routed) return routed.refused;
    if (routed.to === "none")
      return { ok: true, data: await this.unlinkHere(ownerId, meta, reason) };
    // Its node stopped: so did its CTI channel. The directory closes it in the audit log.
    if (routed.to === "gone") return { ok: true, data: goneView() };
    const { outcome } = routed;
    if (outcome.ok) return outcome.value;
    if (outcome.failure === "gone") return { ok: true, data: goneView() };
    return relayRefusal(outcome.failure);
  }

  /** Checks out and forgets the owner's seat on this node. */
  async unlinkHere(ownerId: string, meta: TRequestMeta, reason: string): Promise<TSeatView> {
    const entry = this.tracked.get(ownerId);
    if (entry) {
      this.tracked.delete(ownerId);
      clearTimeout(entry.expiry);
      const { agentId, companyCode, state } = entry.seat.status;
      try {
        await this.deps.cti.seats.unlink(ownerId);
        // A lost seat was closed in the log when it was lost.
        if (state !== "lost")
          await appendAuditEvent({
            type: "seat.unlinked",
            data: { agentId, reason },
            actor: { kind: "user", id: ownerId },
            companyCode,
            ...meta,
          });
      } finally {
        // Out of the directory after the audit log says it is unlinked (see link).
        await this.deps.cluster?.directory
          .release(ownerId)
          .catch((error: unknown) =>
            this.deps.log.warn({ err: error, ownerId }, "seat left in the directory"),
          );
      }
    }
    const view = this.view(ownerId);
    this.deps.publish(ownerId, view);
    return view;
  }

  /** `route`, with Redis away answered as a refusal (sign-out must not fail on it). */
  private async routeOrRefuse<K extends TRelayRequest["kind"]>(
    ownerId: string,
    request: Extract<TRelayRequest, { kind: K }>,
  ): Promise<TRouted<K> | { refused: { ok: false; code: "shared_state_down" } }> {
    try {
      return await this.route(ownerId, request);
    } catch (error) {
      if (!(error instanceof SharedStateError)) throw error;
      this.deps.log.warn({ err: error, ownerId, kind: request.kind }, "seat request not carried");
      return { refused: { ok: false, code: "shared_state_down" } };
    }
  }

  /**
   * A request about the owner's seat, sent to the node that holds it: `none` when no node
   * does (or only this one, which does not know it any more), `gone` when its node stopped.
   */
  async route<K extends TRelayRequest["kind"]>(
    ownerId: string,
    request: Extract<TRelayRequest, { kind: K }>,
  ): Promise<TRouted<K>> {
    const cluster = this.deps.cluster;
    if (!cluster) return { to: "none" };
    const found = await cluster.directory.lookup(ownerId);
    if (found.state === "none" || found.entry.node === cluster.nodeId) return { to: "none" };
    if (found.state === "gone") {
      await this.closeGone(ownerId, found.entry);
      return { to: "gone" };
    }
    return { to: "node", outcome: await cluster.relay.call(found.entry.node, request) };
  }

  /** FREE or BUSY on the owner's seat, wherever it is. */
  async setAgentStatus(
    ownerId: string,
    status: "FREE" | "BUSY",
  ): Promise<TServiceResult<TSeatView>> {
    if (this.tracked.has(ownerId) || !this.deps.cluster)
      return this.setAgentStatusHere(ownerId, status);
    const routed = await this.routeOrRefuse(ownerId, { kind: "seat-status", ownerId, status });
    if ("refused" in routed) return routed.refused;
    if (routed.to === "none") return this.setAgentStatusHere(ownerId, status);
    if (routed.to === "gone") return { ok: false, code: "seat_node_gone" };
    const { outcome } = routed;
    return outcome.ok ? outcome.value : relayRefusal(outcome.failure);
  }

  async setAgentStatusHere(
    ownerId: string,
    status: "FREE" | "BUSY",
  ): Promise<TServiceResult<TSeatView>> {
    const seat = this.seat(ownerId);
    if (!seat) return { ok: false, code: "seat_not_linked" };
    const frame = await seat
      .request("change_status", { action: status === "FREE" ? "MAKE_FREE" : "MAKE_BUSY" })
      .catch(() => undefined);
    if (!frame) return { ok: false, code: "cti_down" };
    const code = readString(frame, "code") ?? "";
    // "1": already in that state, which is what was asked.
    if (code !== "0" && code !== "1") {
      return {
        ok: false,
        code: "cti_refused",
        values: { code, msg: readString(frame, "msg") ?? "" },
      };
    }
    await this.refreshAgentStatus(ownerId, seat.status.agentId);
    return { ok: true, data: this.view(ownerId) };
  }

  /**
   * The owner's seat as the header shows it, whichever node holds it (GET /api/seat). If Redis
   * cannot be read, what this node knows.
   */
  async current(ownerId: string): Promise<TSeatView> {
    const cluster = this.deps.cluster;
    if (this.tracked.has(ownerId) || !cluster) return this.view(ownerId);
    try {
      const found = await cluster.directory.lookup(ownerId);
      if (found.state === "none" || found.entry.node === cluster.nodeId) return this.view(ownerId);
      if (found.state === "live") return found.view;
      await this.closeGone(ownerId, found.entry);
      return goneView();
    } catch (error) {
      if (!(error instanceof SharedStateError)) throw error;
      this.deps.log.warn({ err: error, ownerId }, "seat directory not read");
      return this.view(ownerId);
    }
  }

  /**
   * A seat whose node died: out of the directory and closed in the audit log by whichever node
   * finds it first, and its owner told to link again.
   */
  async closeGone(ownerId: string, entry: TSeatEntry): Promise<void> {
    const reaped = await this.deps.cluster?.directory.reap(ownerId, entry.node);
    if (!reaped) return;
    this.deps.log.warn({ ownerId, seatNode: entry.node }, "seat lost with its node");
    await appendAuditEvent({
      type: "seat.unlinked",
      data: { agentId: reaped.agentId, reason: "node_gone" },
      actor: { kind: "system", name: "node_gone" },
      companyCode: reaped.companyCode,
      ip: null,
      userAgent: null,
    });
    if (!this.tracked.has(ownerId)) this.deps.publish(ownerId, goneView(reaped.agentId));
  }

  /** The seats this node holds, for the directory's refresh. */
  localSeats(): { ownerId: string; entry: Omit<TSeatEntry, "node">; view: TSeatView }[] {
    return [...this.tracked].map(([ownerId, { seat }]) => ({
      ownerId,
      entry: { companyCode: seat.status.companyCode, agentId: seat.status.agentId },
      view: this.view(ownerId),
    }));
  }

  /** The owner's seat on this node as the header shows it; after a restart, says it was lost to it. */
  view(ownerId: string): TSeatView {
    const entry = this.tracked.get(ownerId);
    if (!entry) {
      const lost = this.lostToRestart.has(ownerId);
      return { state: "unlinked", since: Date.now(), ...(lost ? { reason: "restart" } : {}) };
    }
    return seatView(entry.seat.status, entry.agentStatus);
  }

  /** Owners whose seat was linked when the previous process ended (read at start). */
  private readonly lostToRestart = new Set<string>();

  /**
   * Seats are in memory: a restart loses them. Each seat still linked in the audit log when the
   * process started is closed there (`seat.unlinked`, reason restart) and its owner told.
   */
  async recordRestart(): Promise<void> {
    const events = await this.deps.db.auditEvent.findMany({
      where: { type: { in: ["seat.linked", "seat.unlinked"] } },
      orderBy: { id: "asc" },
      select: { type: true, actorId: true, companyCode: true, data: true },
    });
    const open = new Map<string, { agentId: string; companyCode: string | null }>();
    for (const e of events) {
      if (!e.actorId) continue;
      if (e.type === "seat.linked") {
        const data = JSON.parse(e.data) as { agentId: string };
        open.set(e.actorId, { agentId: data.agentId, companyCode: e.companyCode });
      } else open.delete(e.actorId);
    }
    for (const [ownerId, { agentId, companyCode }] of open) {
      if (await this.heldElsewhere(ownerId)) continue;
      this.lostToRestart.add(ownerId);
      await appendAuditEvent({
        type: "seat.unlinked",
        data: { agentId, reason: "restart" },
        actor: { kind: "system", name: "restart" },
        companyCode,
        ip: null,
        userAgent: null,
      });
    }
  }

  /**
   * With several nodes, a seat open in the audit log may be alive on another node: left alone.
   * One its node left behind (that node died, or this one restarted under the same NODE_ID)
   * is taken out of the directory here and closed as lost to the restart.
   */
  private async heldElsewhere(ownerId: string): Promise<boolean> {
    const cluster = this.deps.cluster;
    if (!cluster) return false;
    const found = await cluster.directory.lookup(ownerId);
    if (found.state === "none") return false;
    if (found.state === "live" && found.entry.node !== cluster.nodeId) return true;
    if (found.entry.node === cluster.nodeId) {
      await cluster.directory.release(ownerId);
      return false;
    }
    // Gone: whoever reaps it writes its close; a node that reaped it already wrote one.
    return (await cluster.directory.reap(ownerId, found.entry.node)) === undefined;
  }

  async stop(): Promise<void> {
    for (const ownerId of [...this.tracked.keys()]) {
      await this.unlinkHere(ownerId, { ip: null, userAgent: null }, "shutdown");
    }
  }

  /** The agent's state on the CTI if it is checked in somewhere other than this owner's seat. */
  private async statusElsewhere(
    ownerId: string,
    companyCode: string,
    agentId: string,
  ): Promise<string | undefined> {
    if (this.seat(ownerId)?.status.agentId === agentId) return undefined;
    // The owner's own seat on another node is not "elsewhere": it is checked out before linking.
    const found = await this.deps.cluster?.directory.lookup(ownerId);
    if (found?.state === "live" && found.entry.agentId === agentId) return undefined;
    const monitor = this.deps.cti.monitorChannel(companyCode);
    const frame = await monitor
      ?.request("get_status", { agent_id: agentId })
      .catch(() => undefined);
    const status = frame ? readString(frame, "status") : undefined;
    return status !== undefined && status !== "OFFLINE" ? status : undefined;
  }

  private async refreshAgentStatus(ownerId: string, agentId: string): Promise<void> {
    const entry = this.tracked.get(ownerId);
    const frame = await entry?.seat
      .request("get_status", { agent_id: agentId })
      .catch(() => undefined);
    const status = frame ? readString(frame, "status") : undefined;
    if (entry && status !== undefined) entry.agentStatus = status;
    this.publish(ownerId);
  }

  private onPush(ownerId: string, agentId: string, frame: WireRecord): void {
    const entry = this.tracked.get(ownerId);
    if (!entry || readString(frame, "msg_type") !== "change_status") return;
    if (readString(frame, "agent_id") !== agentId) return;
    const status = readString(frame, "agent_status");
    if (status !== undefined) {
      entry.agentStatus = status;
      this.publish(ownerId);
    }
  }

  /** A seat lost while linked (kicked off by a check-in elsewhere) is closed in the audit log. */
  private async auditLoss(ownerId: string, status: TSeatStatus): Promise<void> {
    await appendAuditEvent({
      type: "seat.unlinked",
      data: { agentId: status.agentId, reason: status.reason ?? "lost" },
      actor: { kind: "system", name: "cti" },
      companyCode: status.companyCode,
      ip: null,
      userAgent: null,
    }).catch((error: unknown) => this.deps.log.error({ err: error }, "seat loss not audited"));
  }

  /** To the owner's sockets on every node, and into the directory for the other nodes' headers. */
  private publish(ownerId: string): void {
    const view = this.view(ownerId);
    this.deps.publish(ownerId, view);
    const seat = this.tracked.get(ownerId)?.seat;
    if (!seat || !this.deps.cluster) return;
    const { companyCode, agentId } = seat.status;
    this.deps.cluster.directory
      .refresh(ownerId, { companyCode, agentId }, view)
      .catch((error: unknown) =>
        this.deps.log.warn({ err: error, ownerId }, "seat view not written to the directory"),
      );
  }

  /** The seat ends with the session that linked it. */
  private armExpiry(viewer: TViewer, entry: Tracked): void {
    if (viewer.sessionExpiresAt === undefined) return;
    const delay = Math.min(viewer.sessionExpiresAt - Date.now(), 2_147_483_647);
    entry.expiry = setTimeout(
      () => {
        void this.unlinkHere(viewer.id, { ip: null, userAgent: null }, "session_ended").catch(
          (error: unknown) =>
            this.deps.log.error({ err: error }, "seat unlink at session end failed"),
        );
      },
      Math.max(0, delay),
    );
    entry.expiry.unref();
  }
}

function seatView(status: TSeatStatus, agentStatus: string | undefined): TSeatView {
  return {
    state: status.state,
    since: status.since,
    agentId: status.agentId,
    ...(status.extId === undefined ? {} : { extId: status.extId }),
    ...(status.reason === undefined ? {} : { reason: status.reason }),
    ...(status.code === undefined ? {} : { code: status.code }),
    ...(status.msg === undefined ? {} : { msg: status.msg }),
    ...(agentStatus === undefined ? {} : { agentStatus }),
  };
}

function refusalOf(status: TSeatStatus): {
  code: "seat_wrong_password" | "seat_checkin_refused" | "seat_cti_down";
  values?: Record<string, string>;
} {
  if (status.reason === "wrong_password") return { code: "seat_wrong_password" };
  if (status.reason === "checkin_refused")
    return {
      code: "seat_checkin_refused",
      values: { code: status.code ?? "", msg: status.msg ?? "" },
    };
  return { code: "seat_cti_down" };
}

/** A seat lost with the node that held it: the supervisor links again. */
function goneView(agentId?: string): TSeatView {
  return {
    state: "unlinked",
    since: Date.now(),
    reason: "node_gone",
    ...(agentId === undefined ? {} : { agentId }),
  };
}

/**
 * A request to another node's seat that got no usable answer. `timeout`: it was delivered, so
 * what it did is unknown; `unsupported`/`error`: that node could not handle it (logged there,
 * and an unexpected failure here).
 */
export function relayRefusal(failure: "gone" | "timeout" | "unsupported" | "error"): {
  ok: false;
  code: "seat_node_gone" | "seat_node_timeout";
} {
  if (failure === "gone") return { ok: false, code: "seat_node_gone" };
  if (failure === "timeout") return { ok: false, code: "seat_node_timeout" };
  throw new Error(`the seat's node could not handle the request (${failure})`);
}
