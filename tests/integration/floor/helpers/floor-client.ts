import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { Server } from "socket.io";
import { io as connect, type Socket } from "socket.io-client";
import { canAccessCompany, ZViewer, type TViewer } from "@/lib/auth/viewer";
import { FloorClientStore } from "@/lib/floor/client-store";
import { ZFloorDelta, ZFloorHeartbeat } from "@/lib/floor/types";
import type {
  ClientToServerEvents,
  ServerToClientEvents,
  TFloorJoinAck,
} from "@/lib/realtime/events";
import type { FloorHub } from "@/server/floor/hub";
import { snapshotFor } from "@/server/floor/snapshot";
import { createGateway, type TFloorServer } from "@/server/realtime/gateway";

export const VIEWERS: Record<"supervisor" | "viewer" | "outsider", TViewer> = {
  supervisor: {
    kind: "user",
    id: "u-sup",
    name: "sup",
    role: "supervisor",
    companies: ["91001", "91002"],
  },
  viewer: {
    kind: "user",
    id: "u-view",
    name: "view",
    role: "viewer",
    companies: ["91001", "91002"],
  },
  outsider: { kind: "user", id: "u-out", name: "out", role: "supervisor", companies: ["99999"] },
};

/**
 * A real Socket.IO server with the floor gateway. The authorizer is injected: the test
 * handshake carries the viewer, as the auth middleware would set it from the session.
 */
export async function startGateway(
  hub: FloorHub,
): Promise<{ url: string; close(): Promise<void> }> {
  const http: HttpServer = createServer();
  const io: TFloorServer = new Server(http, { transports: ["websocket"] });
  io.use((socket, next) => {
    const parsed = ZViewer.safeParse(socket.handshake.auth.viewer);
    if (parsed.success) socket.data.viewer = parsed.data;
    next();
  });
  const gateway = createGateway(io, {
    feed: hub,
    viewerOf: (socket) => socket.data.viewer,
    authorizeCompany: canAccessCompany,
    log: pino({ level: "silent" }),
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      gateway.close();
      await io.close();
    },
  };
}

export type TFloorClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * What the browser does, minus React: joins the floor, loads the snapshot while buffering
 * deltas, and resyncs on a gap, an epoch change or a reconnect.
 */
export class TestFloorClient {
  readonly store = new FloorClientStore({
    schedule: (flush) => {
      const id = setTimeout(flush, 5);
      return () => clearTimeout(id);
    },
    listIntervalMs: 0,
  });
  readonly socket: TFloorClientSocket;
  resyncs = 0;
  deltas = 0;
  joinResult: TFloorJoinAck | undefined;

  constructor(
    url: string,
    private readonly hub: FloorHub,
    private readonly viewer: TViewer,
    private readonly companyCode: string,
  ) {
    this.socket = connect(url, {
      transports: ["websocket"],
      auth: { viewer },
      forceNew: true,
      reconnectionDelay: 100,
    });
    this.socket.on("floor:delta", (payload) => {
      this.deltas += 1;
      this.store.receiveDelta(ZFloorDelta.parse(payload));
    });
    this.socket.on("floor:heartbeat", (payload) =>
      this.store.receiveHeartbeat(ZFloorHeartbeat.parse(payload)),
    );
    this.socket.on("connect", () => void this.join());
    this.store.onResync(() => {
      this.resyncs += 1;
      void this.loadSnapshot();
    });
  }

  private async join(): Promise<void> {
    this.store.beginSync();
    this.joinResult = await this.socket.emitWithAck("floor:join", {
      companyCode: this.companyCode,
    });
    if (this.joinResult.ok) await this.loadSnapshot();
  }

  private async loadSnapshot(): Promise<void> {
    // Over HTTP in the browser; a short await here keeps the buffering path honest.
    await new Promise((resolve) => setTimeout(resolve, 30));
    const result = snapshotFor(this.hub, this.viewer, this.companyCode);
    if (result.ok) this.store.applySnapshot(JSON.parse(JSON.stringify(result.snapshot)));
  }

  close(): void {
    this.socket.close();
    this.store.dispose();
  }
}
