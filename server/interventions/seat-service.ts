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

export interface SeatServiceDeps {
  cti: CtiLink;
  db: PrismaClient;
  log: Logger;
  /** Sends a seat's new view to its owner's sockets. */
  publish: (ownerId: string, seat: TSeatView) => void;
}

interface Tracked {
  seat: SeatChannel;
  agentStatus?: string;
  expiry?: NodeJS.Timeout;
}

/**
 * The supervisors' seats of this node: linking (with the check that the CTI agent is not in use
 * elsewhere), the seat agent's own state for the header, FREE/BUSY, unlinking on sign-out and at
 * the session's end. Every link and unlink is audited; the password never is.
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
    if (!input.force) {
      const elsewhere = await this.statusElsewhere(viewer.id, companyCode, agentId);
      if (elsewhere !== undefined) {
        return { ok: false, code: "seat_in_use", values: { agentId, status: elsewhere } };
      }
    }
    await this.unlink(viewer.id, meta, "relinked");
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

  /** Checks out and forgets the owner's seat (sign-out, unlink, session end, a new link). */
  async unlink(ownerId: string, meta: TRequestMeta, reason: string): Promise<TSeatView> {
    const entry = this.tracked.get(ownerId);
    if (entry) {
      this.tracked.delete(ownerId);
      clearTimeout(entry.expiry);
      const { agentId, companyCode, state } = entry.seat.status;
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
    }
    const view = this.view(ownerId);
    this.deps.publish(ownerId, view);
    return view;
  }

  async setAgentStatus(
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

  /** The owner's seat as the header shows it; after a restart, says the seat was lost to it. */
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

  async stop(): Promise<void> {
    for (const ownerId of [...this.tracked.keys()]) {
      await this.unlink(ownerId, { ip: null, userAgent: null }, "shutdown");
    }
  }

  /** The agent's state on the CTI if it is checked in somewhere other than this owner's seat. */
  private async statusElsewhere(
    ownerId: string,
    companyCode: string,
    agentId: string,
  ): Promise<string | undefined> {
    if (this.seat(ownerId)?.status.agentId === agentId) return undefined;
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

  private publish(ownerId: string): void {
    this.deps.publish(ownerId, this.view(ownerId));
  }

  /** The seat ends with the session that linked it. */
  private armExpiry(viewer: TViewer, entry: Tracked): void {
    if (viewer.sessionExpiresAt === undefined) return;
    const delay = Math.min(viewer.sessionExpiresAt - Date.now(), 2_147_483_647);
    entry.expiry = setTimeout(
      () => {
        void this.unlink(viewer.id, { ip: null, userAgent: null }, "session_ended").catch(
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
