import { io as connect, type Socket } from "socket.io-client";
import type { TViewer } from "@/lib/auth/viewer";
import { FloorClientStore } from "@/lib/floor/client-store";
import { ZFloorDelta, ZFloorHeartbeat } from "@/lib/floor/types";
import type {
  ClientToServerEvents,
  ServerToClientEvents,
  TFloorJoinAck,
} from "@/lib/realtime/events";
import type { Floor } from "@/server/floor/floor";
import { snapshotFor } from "@/server/floor/snapshot";

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
    private readonly floor: Floor,
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
    const result = snapshotFor(this.floor, this.viewer, this.companyCode);
    if (result.ok) this.store.applySnapshot(JSON.parse(JSON.stringify(result.snapshot)));
  }

  close(): void {
    this.socket.close();
    this.store.dispose();
  }
}
