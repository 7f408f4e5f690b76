import { fork, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import readline from "node:readline";
import { Redis } from "ioredis";
import { io as connect, type Socket } from "socket.io-client";
import { z } from "zod";
import type { TViewer } from "@/lib/auth/viewer";
import { FloorClientStore, type TResyncReason } from "@/lib/floor/client-store";
import { ZFloorDelta, ZFloorHeartbeat, ZFloorSnapshot, type TFloorDelta } from "@/lib/floor/types";
import type { ClientToServerEvents, ServerToClientEvents } from "@/lib/realtime/events";

export const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/**
 * The machine's Redis, or a failure that says how to get one: the cluster tests need a real
 * Redis (the project's machines start one on 127.0.0.1:6379).
 */
export async function requireRedis(): Promise<void> {
  const redis = new Redis(REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: 1000,
    retryStrategy: () => null,
  });
  redis.on("error", () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(
      `Redis is not reachable at ${REDIS_URL} (${error instanceof Error ? error.message : String(error)}). ` +
        "The cluster tests need a running Redis: start it with `redis-server --daemonize yes` " +
        "(Debian: `apt-get install -y redis-server`), or point TEST_REDIS_URL at one.",
    );
  } finally {
    redis.disconnect();
  }
}

/** A key prefix of this run only, so runs never see each other's leases. */
export function runPrefix(): string {
  return `fwtest:${randomBytes(4).toString("hex")}:`;
}

/** Removes every key of the run. */
export async function removePrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}

export const ZNodeStatus = z.object({
  nodeId: z.string(),
  cluster: z
    .object({
      leases: z.array(z.object({ companyCode: z.string(), term: z.number() })),
      nodes: z.array(z.object({ node: z.string() })),
      redis: z.object({ reachable: z.boolean() }),
      replicasLive: z.array(z.string()),
    })
    .optional(),
  companies: z.array(
    z.object({
      companyCode: z.string(),
      leads: z.boolean(),
      epoch: z.string().optional(),
      seq: z.number().optional(),
      agents: z.number(),
    }),
  ),
});
export type TNodeStatus = z.infer<typeof ZNodeStatus>;

export interface TNode {
  nodeId: string;
  port: number;
  url: string;
  child: ChildProcess;
  status(): Promise<TNodeStatus>;
  /** SIGKILL: the node vanishes without releasing anything. Resolves once it is gone. */
  kill9(): Promise<void>;
  /** SIGTERM: a clean stop (leases released). */
  stop(): Promise<void>;
}

/** A node as its own process (tests/helpers/cluster-node.ts); resolves once it listens. */
export function startNode(env: Record<string, string>): Promise<TNode> {
  const child = fork(path.join(process.cwd(), "tests/helpers/cluster-node.ts"), {
    execArgv: ["--import", "./server/runtime.mjs"],
    env: { ...process.env, LOG_LEVEL: "silent", ...env },
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node ${env.NODE_ID} did not start`)), 30_000);
    const early = (code: number | null) =>
      reject(new Error(`node ${env.NODE_ID} exited with ${code}`));
    child.once("exit", early);
    readline.createInterface({ input: child.stdout! }).on("line", (line) => {
      if (!line.includes('"ready"')) return;
      const ready = z.object({ port: z.number(), nodeId: z.string() }).parse(JSON.parse(line));
      clearTimeout(timer);
      child.off("exit", early);
      const url = `http://127.0.0.1:${ready.port}`;
      const signal = (name: NodeJS.Signals) => {
        if (child.exitCode === null && child.signalCode === null) child.kill(name);
        return gone;
      };
      resolve({
        nodeId: ready.nodeId,
        port: ready.port,
        url,
        child,
        status: async () => ZNodeStatus.parse(await (await fetch(`${url}/test/status`)).json()),
        kill9: () => signal("SIGKILL"),
        stop: () => signal("SIGTERM"),
      });
    });
  });
}

export type TFloorClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * A browser of one node, minus React: joins a company's floor there, loads the snapshot from the
 * same node over HTTP while buffering deltas, and resyncs on a gap, an epoch change or a
 * reconnect (lib/floor/client-store.ts). Every delta is kept with the time it arrived.
 */
export class NodeFloorClient {
  readonly store = new FloorClientStore({
    schedule: (flush) => {
      const id = setTimeout(flush, 5);
      return () => clearTimeout(id);
    },
    listIntervalMs: 0,
  });
  readonly socket: TFloorClientSocket;
  readonly resyncs: { reason: TResyncReason; at: number }[] = [];
  readonly deltas: { at: number; delta: TFloorDelta }[] = [];
  readonly errors: string[] = [];

  constructor(
    readonly node: { url: string; nodeId: string },
    private readonly viewer: TViewer,
    private readonly companyCode: string,
  ) {
    this.socket = connect(node.url, {
      transports: ["websocket"],
      auth: { viewer },
      forceNew: true,
      reconnectionDelay: 100,
    });
    this.socket.on("floor:delta", (payload) => {
      const delta = ZFloorDelta.parse(payload);
      this.deltas.push({ at: Date.now(), delta });
      this.store.receiveDelta(delta);
    });
    this.socket.on("floor:heartbeat", (payload) =>
      this.store.receiveHeartbeat(ZFloorHeartbeat.parse(payload)),
    );
    this.socket.on("connect", () => void this.join());
    this.store.onResync((reason) => {
      this.resyncs.push({ reason, at: Date.now() });
      void this.loadSnapshot();
    });
  }

  private async join(): Promise<void> {
    this.store.beginSync();
    const joined = await this.socket.emitWithAck("floor:join", { companyCode: this.companyCode });
    if (joined.ok) await this.loadSnapshot();
    else this.errors.push(`join: ${joined.code}`);
  }

  private async loadSnapshot(): Promise<void> {
    try {
      const response = await fetch(`${this.node.url}/test/snapshot/${this.companyCode}`, {
        headers: { "x-test-viewer": JSON.stringify(this.viewer) },
      });
      this.store.applySnapshot(ZFloorSnapshot.parse(await response.json()));
    } catch (error) {
      this.errors.push(`snapshot: ${String(error)}`);
    }
  }

  close(): void {
    this.socket.close();
    this.store.dispose();
  }
}
