import "server-only";
import type { Server, Socket } from "socket.io";
import type { Logger } from "pino";
import { canSeeFullNumbers, type TViewer } from "@/lib/auth/viewer";
import { maskDelta } from "@/lib/floor/mask";
import type { TFloorDelta, TFloorHeartbeat } from "@/lib/floor/types";
import type { TInterventionView, TSeatView } from "@/lib/interventions/types";
import {
  floorRoom,
  ZFloorJoin,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type TFloorJoinAck,
} from "@/lib/realtime/events";

export type TFloorSocketData = { viewer?: TViewer };
export type TFloorServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  TFloorSocketData
>;
export type TFloorSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  TFloorSocketData
>;

/** Every socket of one signed-in user or one display token joins this room at connection. */
export function principalRoom(kind: "user" | "display", id: string): string {
  return `principal:${kind}:${id}`;
}

export interface TGateway {
  close(): void;
  /** Sockets connected to this node. */
  sockets(): number;
  /**
   * Drops every live socket of a user or display token at once: its sessions were ended or its
   * rights changed. A socket is authorized at its handshake, so without this a revoked wall or
   * a disabled viewer would keep receiving the floor. A browser that still has a valid session
   * reconnects and is checked again.
   */
  evict(kind: "user" | "display", id: string): void;
  /** An intervention's new stage, to its company's supervisors and admins (full-number room). */
  publishIntervention(view: TInterventionView): void;
  /** A supervisor's seat, to that user's sockets. */
  publishSeat(userId: string, seat: TSeatView): void;
}

/** What the gateway needs from the floor: its deltas and heartbeats, and which companies exist. */
export interface TFloorFeed {
  on(event: "delta", listener: (delta: TFloorDelta) => void): unknown;
  on(event: "heartbeat", listener: (heartbeat: TFloorHeartbeat) => void): unknown;
  off(event: "delta", listener: (delta: TFloorDelta) => void): unknown;
  off(event: "heartbeat", listener: (heartbeat: TFloorHeartbeat) => void): unknown;
  companies(): string[];
  heartbeat(companyCode: string): TFloorHeartbeat | undefined;
  /** The company's agent and extension ids, the numbers masking leaves readable. */
  store(companyCode: string): { knownIds(): ReadonlySet<string> } | undefined;
}

export interface GatewayDeps {
  feed: TFloorFeed;
  /** The signed-in viewer of a socket (set by the auth middleware), if any. */
  viewerOf: (socket: TFloorSocket) => TViewer | undefined;
  authorizeCompany: (viewer: TViewer, companyCode: string) => boolean;
  log: Logger;
}

/**
 * The floor over Socket.IO: a browser joins a company's floor, the gateway puts it in the
 * company's full-number or masked room by the viewer's role, and every delta batch goes once
 * to each room, masked on the server for the masked one.
 */
export function createGateway(io: TFloorServer, deps: GatewayDeps): TGateway {
  const { feed, log } = deps;

  // The floor goes to this node's sockets only (`local`), even when rooms span nodes (Redis
  // adapter): with several nodes every node has the company's floor (as leader or replica) and
  // sends its deltas and heartbeats to its own sockets; a room broadcast would reach each browser
  // once per node. Interventions and seats below do go through the adapter.
  const onDelta = (delta: TFloorDelta) => {
    io.local.to(floorRoom(delta.companyCode, true)).emit("floor:delta", delta);
    const knownIds = feed.store(delta.companyCode)?.knownIds() ?? new Set<string>();
    io.local
      .to(floorRoom(delta.companyCode, false))
      .emit("floor:delta", maskDelta(delta, knownIds));
  };
  const onHeartbeat = (heartbeat: TFloorHeartbeat) => {
    io.local
      .to([floorRoom(heartbeat.companyCode, true), floorRoom(heartbeat.companyCode, false)])
      .emit("floor:heartbeat", heartbeat);
  };
  feed.on("delta", onDelta);
  feed.on("heartbeat", onHeartbeat);

  io.on("connection", (socket: TFloorSocket) => {
    const viewer = deps.viewerOf(socket);
    if (viewer) void socket.join(principalRoom(viewer.kind, viewer.id));
    socket.on("floor:join", (payload, ack) => {
      const reply = typeof ack === "function" ? ack : () => {};
      const result = join(socket, payload);
      reply(result);
      if (result.ok) {
        const heartbeat = feed.heartbeat(ZFloorJoin.parse(payload).companyCode);
        if (heartbeat) socket.emit("floor:heartbeat", heartbeat);
      }
    });
    socket.on("floor:leave", (payload) => {
      const parsed = ZFloorJoin.safeParse(payload);
      if (!parsed.success) return;
      void socket.leave(floorRoom(parsed.data.companyCode, true));
      void socket.leave(floorRoom(parsed.data.companyCode, false));
    });
  });

  function join(socket: TFloorSocket, payload: unknown): TFloorJoinAck {
    const parsed = ZFloorJoin.safeParse(payload);
    if (!parsed.success) return { ok: false, code: "bad_request" };
    const { companyCode } = parsed.data;
    const viewer = deps.viewerOf(socket);
    if (!viewer) return { ok: false, code: "unauthenticated" };
    if (!deps.authorizeCompany(viewer, companyCode)) {
      log.warn({ viewer: viewer.id, company: companyCode }, "floor join refused");
      return { ok: false, code: "forbidden" };
    }
    const heartbeat = feed.heartbeat(companyCode);
    if (!feed.companies().includes(companyCode) || !heartbeat)
      return { ok: false, code: "unknown_company" };
    const fullNumbers = canSeeFullNumbers(viewer);
    // A viewer whose role changed must not stay in the other room.
    void socket.leave(floorRoom(companyCode, !fullNumbers));
    void socket.join(floorRoom(companyCode, fullNumbers));
    return { ok: true, epoch: heartbeat.epoch, seq: heartbeat.seq, fullNumbers };
  }

  return {
    close() {
      feed.off("delta", onDelta);
      feed.off("heartbeat", onHeartbeat);
    },
    sockets: () => io.of("/").sockets.size,
    evict(kind, id) {
      io.in(principalRoom(kind, id)).disconnectSockets(true);
    },
    publishIntervention(view) {
      io.to(floorRoom(view.companyCode, true)).emit("intervention:updated", view);
    },
    publishSeat(userId, seat) {
      io.to(principalRoom("user", userId)).emit("seat:updated", seat);
    },
  };
}
