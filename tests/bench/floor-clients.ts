/**
 * Child process of `npm run bench:floor`: N Socket.IO clients, as browsers would be, spread
 * over the companies, half seeing full numbers and half masked. Each checks its seq chain and
 * measures CTI change → receipt for pushed status changes. Reports JSON over IPC on request.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { io, type Socket } from "socket.io-client";
import { ZFloorDelta } from "@/lib/floor/types";
import type { ClientToServerEvents, ServerToClientEvents } from "@/lib/realtime/events";

const url = process.env.BENCH_URL ?? "";
const clients = Number(process.env.BENCH_CLIENTS ?? 300);
const companies = (process.env.BENCH_COMPANIES ?? "").split(",");

let latencies: number[] = [];
let gaps = 0;
let deltas = 0;
let joined = 0;
const sockets: Socket<ServerToClientEvents, ClientToServerEvents>[] = [];
/** This process's own delay: every ms of it is added to the latencies it measures. */
const loop = monitorEventLoopDelay({ resolution: 10 });
let cpuFrom = process.cpuUsage();
let cpuFromAt = Date.now();

for (let i = 0; i < clients; i++) {
  const companyCode = companies[i % companies.length] ?? "";
  const role = i % 2 === 0 ? "supervisor" : "viewer";
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, {
    transports: ["websocket"],
    forceNew: true,
    auth: {
      viewer: {
        kind: "user",
        id: `bench-${i}`,
        name: `bench-${i}`,
        role,
        companies: [companyCode],
      },
    },
  });
  let lastSeq: number | undefined;
  const known = new Map<string, string>();
  // Only one client per company/role pair parses deltas in full (zod); the others check seqs, as
  // the latency figure is the same for every socket of a room and zod-parsing 300 copies here
  // would measure this process, not the dashboard.
  const measure = i < companies.length * 2;
  socket.on("connect", () => {
    void socket.emitWithAck("floor:join", { companyCode }).then((ack) => {
      if (ack.ok) joined += 1;
    });
  });
  socket.on("floor:delta", (raw) => {
    const receivedAt = Date.now();
    deltas += 1;
    if (lastSeq !== undefined && raw.fromSeq !== lastSeq + 1) gaps += 1;
    lastSeq = raw.toSeq;
    if (!measure) return;
    const delta = ZFloorDelta.parse(raw);
    for (const agent of delta.agents) {
      const before = known.get(agent.agentId);
      known.set(agent.agentId, agent.status);
      if (agent.via === "push" && before !== undefined && before !== agent.status) {
        latencies.push(receivedAt - agent.statusSince);
      }
    }
  });
  sockets.push(socket);
}

process.on("message", (message: { cmd: string }) => {
  if (message.cmd === "reset") {
    latencies = [];
    gaps = 0;
    deltas = 0;
    loop.reset();
    loop.enable();
    cpuFrom = process.cpuUsage();
    cpuFromAt = Date.now();
  }
  if (message.cmd === "report") {
    loop.disable();
    const cpu = process.cpuUsage(cpuFrom);
    const ms = (ns: number) => Math.round(ns / 1e5) / 10;
    process.send?.({
      joined,
      connected: sockets.filter((s) => s.connected).length,
      latencies,
      gaps,
      deltas,
      loopDelayMs: {
        p50: ms(loop.percentile(50)),
        p99: ms(loop.percentile(99)),
        max: ms(loop.max),
      },
      cpuPercentOfOneCore:
        Math.round(((cpu.user + cpu.system) / 1000 / (Date.now() - cpuFromAt)) * 1000) / 10,
    });
  }
  if (message.cmd === "exit") {
    for (const s of sockets) s.close();
    process.exit(0);
  }
});
// The bench died: do not outlive it.
process.on("disconnect", () => process.exit(0));
process.send?.({ ready: true });
// Stopped by the bench: exit cleanly (a --cpu-prof profile is written on exit).
process.on("SIGTERM", () => process.exit(0));
