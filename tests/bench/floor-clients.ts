/**
 * Child process of `npm run bench:floor`: Socket.IO clients as browsers would be, spread over the
 * companies, half signed in as the company's supervisor (full numbers) and half as its viewer
 * (masked). Every socket signs in on its own through the real sign-in (`POST /api/auth/sign-in`),
 * as a browser tab would, and presents its own session cookie and Origin to the server's socket
 * authentication: N sockets, N sign-ins, N sessions. Every socket checks its seq chain and
 * measures CTI change → receipt for each status change it receives from a push.
 *
 * Env: BENCH_URL, BENCH_COMPANIES, BENCH_USERS (JSON `[{companyCode, role, username, password}]`).
 * IPC (tests/bench/floor/messages.ts): `{cmd: "add", count}` → TClientsAdded once all are joined
 * (or after a minute); `{cmd: "reset"}` starts a window; `{cmd: "report"}` → TClientsReport;
 * `{cmd: "exit"}`.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { io, type Socket } from "socket.io-client";
import { z } from "zod";
import { ZFloorDelta, type TFloorDelta } from "@/lib/floor/types";
import type { ClientToServerEvents, ServerToClientEvents } from "@/lib/realtime/events";
import { quantile } from "./floor/judge";
import { ZBenchUser, type TClientsAdded, type TClientsReport } from "./floor/messages";

const url = process.env.BENCH_URL ?? "";
const companies = (process.env.BENCH_COMPANIES ?? "").split(",");
const users = z.array(ZBenchUser).parse(JSON.parse(process.env.BENCH_USERS ?? "[]"));
const READY_TIMEOUT_MS = 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type TSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

interface TClient {
  socket: TSocket;
  joined: boolean;
  epoch: string | undefined;
  lastSeq: number | undefined;
  /** The status this socket last saw of each agent: a push that changes it is a sample. */
  known: Map<string, string>;
  latencies: number[];
  gaps: number;
  overlaps: number;
}

const clients: TClient[] = [];
/** Every session cookie a sign-in returned: as many distinct ones as sockets. */
const sessionCookies = new Set<string>();
let signIns = 0;
const errors: string[] = [];
let deltas = 0;
let invalidDeltas = 0;
let disconnects = 0;
/** This process's own delay: every ms of it is added to the latencies it measures. */
const loop = monitorEventLoopDelay({ resolution: 10 });
let cpuFrom = process.cpuUsage();
let cpuFromAt = Date.now();

/** The first errors, with when they happened, for the report (stderr gets them all). */
function noteError(message: string): void {
  process.stderr.write(`floor-clients: ${message}\n`);
  if (errors.length < 20) errors.push(`${new Date().toISOString()} ${message}`);
}

const ZSignedIn = z.object({ ok: z.literal(true) });

/**
 * POST to the sign-in route. A request that never got an answer (a keep-alive connection the
 * server closed as it was reused) is sent again, twice at most; an answer is never retried.
 */
async function postSignIn(username: string, password: string, attempt = 1): Promise<Response> {
  try {
    return await fetch(`${url}/api/auth/sign-in`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: url, "accept-language": "en" },
      body: JSON.stringify({ username, password }),
    });
  } catch (error) {
    if (attempt >= 3) throw error;
    noteError(`sign-in of ${username}: ${String(error)}; sending it again`);
    await sleep(1000);
    return postSignIn(username, password, attempt + 1);
  }
}

/** The real sign-in route: JSON credentials, an Origin equal to the server's, a session cookie back. */
async function signIn(username: string, password: string): Promise<string> {
  const response = await postSignIn(username, password);
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok || !ZSignedIn.safeParse(body).success)
    throw new Error(`sign-in of ${username}: HTTP ${response.status} ${JSON.stringify(body)}`);
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0] ?? "")
    .filter((pair) => pair !== "" && !pair.endsWith("="))
    .join("; ");
  if (!cookie) throw new Error(`sign-in of ${username}: no session cookie`);
  signIns += 1;
  sessionCookies.add(cookie);
  return cookie;
}

/** A session of its own for one socket: a sign-in as the company's user of that role. */
async function sessionFor(companyCode: string, role: "supervisor" | "viewer"): Promise<string> {
  const user = users.find((u) => u.companyCode === companyCode && u.role === role);
  if (!user) throw new Error(`no bench user for ${companyCode}/${role}`);
  return signIn(user.username, user.password);
}

function onDelta(client: TClient, delta: TFloorDelta): void {
  const receivedAt = Date.now();
  deltas += 1;
  if (client.epoch !== undefined && delta.epoch !== client.epoch) client.lastSeq = undefined;
  client.epoch = delta.epoch;
  if (client.lastSeq !== undefined) {
    if (delta.fromSeq > client.lastSeq + 1) client.gaps += 1;
    else if (delta.fromSeq <= client.lastSeq) client.overlaps += 1;
  }
  client.lastSeq = Math.max(client.lastSeq ?? delta.toSeq, delta.toSeq);
  for (const agent of delta.agents) {
    const before = client.known.get(agent.agentId);
    client.known.set(agent.agentId, agent.status);
    if (agent.via === "push" && before !== undefined && before !== agent.status)
      client.latencies.push(receivedAt - agent.statusSince);
  }
}

function connect(index: number, cookie: string, companyCode: string): TClient {
  const socket: TSocket = io(url, {
    transports: ["websocket"],
    forceNew: true,
    extraHeaders: { origin: url, cookie, "accept-language": "en" },
  });
  const client: TClient = {
    socket,
    joined: false,
    epoch: undefined,
    lastSeq: undefined,
    known: new Map(),
    latencies: [],
    gaps: 0,
    overlaps: 0,
  };
  socket.on("connect", () => {
    socket.emitWithAck("floor:join", { companyCode }).then(
      (ack) => {
        if (!ack.ok) return noteError(`socket ${index}: join refused: ${ack.code}`);
        client.joined = true;
        // A new join is a new chain (a browser would load a snapshot): no gap across it.
        client.epoch = ack.epoch;
        client.lastSeq = ack.seq;
      },
      (error: unknown) => noteError(`socket ${index}: join: ${String(error)}`),
    );
  });
  socket.on("connect_error", (error) => noteError(`socket ${index}: ${error.message}`));
  socket.on("disconnect", (reason) => {
    client.joined = false;
    disconnects += 1;
    if (reason !== "io client disconnect") noteError(`socket ${index}: disconnected: ${reason}`);
  });
  // The first socket of each company and room checks every payload against the schema, as the
  // browser does; parsing all of them here would measure this process, not the dashboard.
  const validate = index < companies.length * 2;
  socket.on("floor:delta", (delta) => {
    if (validate && !ZFloorDelta.safeParse(delta).success) invalidDeltas += 1;
    onDelta(client, delta);
  });
  return client;
}

async function add(count: number): Promise<void> {
  const started = Date.now();
  let signInMs = 0;
  const target = clients.length + count;
  for (let index = clients.length; index < target; index += 1) {
    const companyCode = companies[index % companies.length] ?? "";
    const role = Math.floor(index / companies.length) % 2 === 0 ? "supervisor" : "viewer";
    const before = Date.now();
    try {
      const cookie = await sessionFor(companyCode, role);
      clients.push(connect(index, cookie, companyCode));
    } catch (error) {
      // This client is missing from the count: the bench's "every socket connected" fails.
      noteError(error instanceof Error ? error.message : String(error));
    }
    signInMs += Date.now() - before;
  }
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (clients.some((c) => !c.joined) && Date.now() < deadline) await sleep(100);
  const added: TClientsAdded = {
    signInSeconds: signInMs / 1000,
    readySeconds: (Date.now() - started) / 1000,
    clients: clients.length,
    connected: clients.filter((c) => c.socket.connected).length,
    joined: clients.filter((c) => c.joined).length,
    signIns,
    sessions: sessionCookies.size,
    errors,
  };
  process.send?.(added);
}

function report(): void {
  loop.disable();
  const cpu = process.cpuUsage(cpuFrom);
  const ms = (ns: number) => Math.round(ns / 1e5) / 10;
  const all = clients.flatMap((c) => c.latencies);
  const perSocketP99 = clients
    .map((c) => quantile(c.latencies, 0.99))
    .filter((v): v is number => v !== null);
  const samplesPerSocket = clients.map((c) => c.latencies.length);
  const report: TClientsReport = {
    clients: clients.length,
    connected: clients.filter((c) => c.socket.connected).length,
    joined: clients.filter((c) => c.joined).length,
    disconnects,
    errors,
    deltas,
    invalidDeltas,
    gaps: clients.reduce((n, c) => n + c.gaps, 0),
    overlaps: clients.reduce((n, c) => n + c.overlaps, 0),
    latency: {
      samples: all.length,
      p50: quantile(all, 0.5),
      p99: quantile(all, 0.99),
      max: quantile(all, 1),
      socketsSampled: clients.filter((c) => c.latencies.length > 0).length,
      samplesPerSocket: {
        min: quantile(samplesPerSocket, 0),
        median: quantile(samplesPerSocket, 0.5),
      },
      perSocketP99: {
        min: quantile(perSocketP99, 0),
        median: quantile(perSocketP99, 0.5),
        max: quantile(perSocketP99, 1),
      },
    },
    loopDelayMs: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) },
    cpuPercentOfOneCore:
      Math.round(((cpu.user + cpu.system) / 1000 / (Date.now() - cpuFromAt)) * 1000) / 10,
  };
  process.send?.(report);
}

process.on("message", (message: { cmd?: string; count?: number }) => {
  if (message.cmd === "add") void add(message.count ?? 0);
  if (message.cmd === "reset") {
    for (const c of clients) {
      c.latencies = [];
      c.gaps = 0;
      c.overlaps = 0;
    }
    deltas = 0;
    invalidDeltas = 0;
    disconnects = 0;
    loop.reset();
    loop.enable();
    cpuFrom = process.cpuUsage();
    cpuFromAt = Date.now();
  }
  if (message.cmd === "report") report();
  if (message.cmd === "exit") {
    for (const c of clients) c.socket.close();
    process.exit(0);
  }
});
// The bench died: do not outlive it.
process.on("disconnect", () => process.exit(0));
// Stopped by the bench: exit cleanly (a --cpu-prof profile is written on exit).
process.on("SIGTERM", () => process.exit(0));
process.send?.({ started: true });
