/**
 * Child process of `npm run bench:cluster`: the Socket.IO clients of one node, as browsers would
 * be, spread over the companies, half supervisors (full numbers) and half viewers (masked). Each
 * follows the browser's sync protocol (lib/floor/client-store.ts): buffers deltas while its
 * snapshot loads (over HTTP, from its own node), drops those `<= seq`, and resyncs on a gap, an
 * epoch change or a reconnect. It keeps only the epoch and seq (and each agent's last status, for
 * latency), not the floor itself: 900 full floors would measure this process, not the nodes.
 * Latency: CTI change → receipt for each status change that came from a push, per company.
 *
 * Env: BENCH_URL (the node), BENCH_COMPANIES.
 * IPC (tests/bench/cluster/messages.ts): `{cmd:"add", count}` → TClusterClientsAdded once all are
 * live (or after a minute); `{cmd:"reset"}` starts a latency window; `{cmd:"mark", at}` starts
 * counting resyncs and new epochs from `at` (a kill); `{cmd:"report"}` → TClusterClientsReport.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { io, type Socket } from "socket.io-client";
import { ZFloorDelta, ZFloorHeartbeat, type TFloorDelta } from "@/lib/floor/types";
import type { ClientToServerEvents, ServerToClientEvents } from "@/lib/realtime/events";
import type { TClusterClientsAdded, TClusterClientsReport } from "./cluster/messages";

const url = process.env.BENCH_URL ?? "";
const companies = (process.env.BENCH_COMPANIES ?? "").split(",");
const READY_TIMEOUT_MS = 120_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The snapshot's epoch and seq come first in its JSON (server/floor/floor.ts snapshot()). */
const SNAPSHOT_HEAD = /^\{"companyCode":"[^"]*","epoch":"([^"]+)","seq":(\d+),/;

type TSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

interface TClient {
  socket: TSocket;
  companyCode: string;
  viewer: object;
  syncing: boolean;
  live: boolean;
  epoch: string | undefined;
  seq: number;
  buffer: TFloorDelta[];
  /** Resyncs since the mark (gap, epoch, reconnect), as the browser would count them. */
  resyncs: number;
  /** Why and when it resynced since the mark (reported for sockets that resynced more than once). */
  why: string[];
  known: Map<string, string>;
}

const clients: TClient[] = [];
const errors: string[] = [];
const latencies = new Map<string, number[]>();
let markAt: number | undefined;
/** Per company: the first delta of an epoch other than the one held at the mark, and the first carrying a CTI confirmation made after it. */
const firstNewEpoch = new Map<
  string,
  { at: number; confirmedAt?: number; confirmedServerTime?: number }
>();
/** This process's own event-loop delay since the mark: its backlog is in every receipt time. */
const loopSinceMark = monitorEventLoopDelay({ resolution: 10 });
const epochAtMark = new Map<string, string | undefined>();

function noteError(message: string): void {
  process.stderr.write(`cluster-clients: ${message}\n`);
  if (errors.length < 20) errors.push(`${new Date().toISOString()} ${message}`);
}

/**
 * The whole snapshot is downloaded, as a browser does, but only its epoch and seq are read: 900
 * sockets parsing 2,000 agents each would measure this process, not the nodes.
 */
async function loadSnapshot(client: TClient): Promise<void> {
  if (!client.socket.connected) return;
  try {
    const response = await fetch(`${url}/test/snapshot/${client.companyCode}`, {
      headers: { "x-test-viewer": JSON.stringify(client.viewer) },
    });
    const body = await response.text();
    if (!response.ok) throw new Error(`HTTP ${response.status}: ${body.slice(0, 120)}`);
    const head = SNAPSHOT_HEAD.exec(body.slice(0, 512));
    const { epoch, seq } = head
      ? { epoch: head[1], seq: Number(head[2]) }
      : (JSON.parse(body) as { epoch: string; seq: number });
    client.epoch = epoch;
    client.seq = seq;
    client.syncing = false;
    client.live = true;
    const held = client.buffer;
    client.buffer = [];
    for (const delta of held) receive(client, delta);
  } catch (error) {
    noteError(`snapshot: ${String(error)}`);
    setTimeout(() => void loadSnapshot(client), 1000);
  }
}

function resync(client: TClient, why: string): void {
  client.syncing = true;
  client.buffer = [];
  if (markAt !== undefined) {
    client.resyncs += 1;
    client.why.push(`${why} at +${Date.now() - markAt} ms (held ${client.epoch}@${client.seq})`);
  }
  void loadSnapshot(client);
}

function receive(client: TClient, delta: TFloorDelta): void {
  if (client.syncing) return void client.buffer.push(delta);
  if (delta.epoch !== client.epoch) return resync(client, `delta of epoch ${delta.epoch}`);
  if (delta.toSeq <= client.seq) return;
  if (delta.fromSeq > client.seq + 1) return resync(client, `delta gap ${delta.fromSeq}`);
  client.seq = delta.toSeq;
}

function onDelta(client: TClient, delta: TFloorDelta): void {
  const receivedAt = Date.now();
  if (markAt !== undefined && delta.epoch !== epochAtMark.get(client.companyCode)) {
    const first = firstNewEpoch.get(client.companyCode);
    if (!first) firstNewEpoch.set(client.companyCode, { at: receivedAt });
    const confirmed = delta.agents.some((a) => a.via !== "roster" && a.confirmedAt >= markAt!);
    const entry = firstNewEpoch.get(client.companyCode)!;
    if (confirmed && entry.confirmedAt === undefined) {
      entry.confirmedAt = receivedAt;
      // When the leader sent it (its clock: the same machine here).
      entry.confirmedServerTime = delta.serverTime;
    }
  }
  for (const agent of delta.agents) {
    const before = client.known.get(agent.agentId);
    client.known.set(agent.agentId, agent.status);
    if (agent.via === "push" && before !== undefined && before !== agent.status) {
      const list = latencies.get(client.companyCode) ?? [];
      list.push(receivedAt - agent.statusSince);
      latencies.set(client.companyCode, list);
    }
  }
  receive(client, delta);
}

function connect(index: number): TClient {
  const companyCode = companies[index % companies.length] ?? "";
  const role = Math.floor(index / companies.length) % 2 === 0 ? "supervisor" : "viewer";
  const viewer = {
    kind: "user",
    id: `bench-${role}-${companyCode}`,
    name: `bench ${role}`,
    role,
    companies: [companyCode],
  };
  const socket: TSocket = io(url, {
    transports: ["websocket"],
    forceNew: true,
    auth: { viewer },
    reconnectionDelay: 500,
  });
  const client: TClient = {
    socket,
    companyCode,
    viewer,
    syncing: true,
    live: false,
    epoch: undefined,
    seq: 0,
    buffer: [],
    resyncs: 0,
    why: [],
    known: new Map(),
  };
  let connectedOnce = false;
  socket.on("connect", () => {
    client.syncing = true;
    client.buffer = [];
    if (connectedOnce && markAt !== undefined) {
      client.resyncs += 1;
      client.why.push(`reconnect at +${Date.now() - markAt} ms`);
    }
    connectedOnce = true;
    socket.emitWithAck("floor:join", { companyCode }).then(
      (ack) => {
        if (!ack.ok) return noteError(`socket ${index}: join refused: ${ack.code}`);
        void loadSnapshot(client);
      },
      (error: unknown) => noteError(`socket ${index}: join: ${String(error)}`),
    );
  });
  socket.on("disconnect", () => {
    client.live = false;
  });
  // The first socket of each company and role checks payloads against the schema, as browsers do.
  const validate = index < companies.length * 2;
  socket.on("floor:delta", (delta) => {
    if (validate && !ZFloorDelta.safeParse(delta).success) noteError("invalid delta");
    onDelta(client, delta);
  });
  socket.on("floor:heartbeat", (raw) => {
    const heartbeat = validate ? ZFloorHeartbeat.parse(raw) : raw;
    if (client.syncing) return;
    if (heartbeat.epoch !== client.epoch || heartbeat.seq > client.seq)
      resync(client, `heartbeat ${heartbeat.epoch}@${heartbeat.seq}`);
  });
  return client;
}

/** Sockets join in waves, each live before the next: browsers arrive over time, not at once. */
const WAVE = 25;

async function add(count: number): Promise<void> {
  const started = Date.now();
  const target = clients.length + count;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (clients.length < target && Date.now() < deadline) {
    const wave = Math.min(WAVE, target - clients.length);
    for (let i = 0; i < wave; i += 1) clients.push(connect(clients.length));
    while (clients.some((c) => !c.live) && Date.now() < deadline) await sleep(50);
  }
  while (clients.some((c) => !c.live) && Date.now() < deadline) await sleep(100);
  const added: TClusterClientsAdded = {
    clients: clients.length,
    live: clients.filter((c) => c.live).length,
    readySeconds: (Date.now() - started) / 1000,
    errors,
  };
  process.send?.(added);
}

function report(): void {
  const cpu = process.cpuUsage();
  const result: TClusterClientsReport = {
    cpuMicros: cpu.user + cpu.system,
    clients: clients.length,
    connected: clients.filter((c) => c.socket.connected).length,
    live: clients.filter((c) => c.live).length,
    latencies: Object.fromEntries(latencies),
    resyncsPerSocket: clients.map((c) => c.resyncs),
    resyncedMoreThanOnce: clients
      .filter((c) => c.resyncs > 1)
      .slice(0, 10)
      .map((c) => ({ companyCode: c.companyCode, why: c.why })),
    firstNewEpoch: Object.fromEntries(firstNewEpoch),
    loopDelayMaxSinceMarkMs: markAt === undefined ? null : Math.round(loopSinceMark.max / 1e6),
    errors,
  };
  process.send?.(result);
}

process.on("message", (message: { cmd?: string; count?: number; at?: number }) => {
  if (message.cmd === "add") void add(message.count ?? 0);
  if (message.cmd === "reset") latencies.clear();
  if (message.cmd === "mark") {
    markAt = message.at ?? Date.now();
    firstNewEpoch.clear();
    loopSinceMark.reset();
    loopSinceMark.enable();
    for (const c of clients) {
      c.resyncs = 0;
      c.why = [];
      epochAtMark.set(c.companyCode, c.epoch);
    }
  }
  if (message.cmd === "report") report();
  if (message.cmd === "exit") {
    for (const c of clients) c.socket.close();
    process.exit(0);
  }
});
process.on("disconnect", () => process.exit(0));
process.on("SIGTERM", () => process.exit(0));
process.send?.({ started: true });
