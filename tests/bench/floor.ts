/**
 * `npm run bench:floor`: the live floor under load, on loopback, bounded in time.
 * A simulator process (10,000 agents in 5 companies), the dashboard's floor stack in this
 * process (CTI link, monitors, stores, batchers, Socket.IO gateway), and 300 Socket.IO clients
 * in a third process. Prints one JSON object.
 */
import { fork, spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import readline from "node:readline";
import { monitorEventLoopDelay } from "node:perf_hooks";
import pino from "pino";
import { Server } from "socket.io";
import { canAccessCompany, ZViewer } from "@/lib/auth/viewer";
import { FloorHub } from "@/server/floor/hub";
import { metrics, quantile } from "@/server/metrics";
import { createGateway, type TFloorServer } from "@/server/realtime/gateway";

const COMPANIES = (process.env.BENCH_COMPANY_CODES ?? "93001,93002,93003,93004,93005").split(",");
const AGENTS_PER_COMPANY = Number(process.env.BENCH_AGENTS ?? 2000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 300);
const POLL_MS = Number(process.env.BENCH_POLL_MS ?? 2000);
const CALL_RATE = Number(process.env.BENCH_CALL_RATE ?? 600);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 12_000);
const MEASURE_MS = Number(process.env.BENCH_MEASURE_MS ?? 20_000);
/** BENCH_CPU_PROF_DIR: the simulator and the clients process write V8 CPU profiles there. */
const PROF_ARGS = process.env.BENCH_CPU_PROF_DIR
  ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`]
  : [];

function startSim(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    [...PROF_ARGS, "--import", "tsx", path.join(process.cwd(), "server/sim/main.ts")],
    {
      env: {
        ...process.env,
        SIM_PORT: "0",
        SIM_CONTROL_PORT: "0",
        SIM_COMPANIES: COMPANIES.join(","),
        SIM_AGENTS: String(AGENTS_PER_COMPANY),
        SIM_CALL_RATE: String(CALL_RATE),
        SIM_SEED: "bench",
      },
      stdio: ["ignore", "pipe", "ignore"],
    },
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("simulator did not start")), 60_000);
    readline.createInterface({ input: child.stdout! }).on("line", (line) => {
      if (!line.includes('"sim:listening"')) return;
      clearTimeout(timer);
      resolve({ child, port: (JSON.parse(line) as { port: number }).port });
    });
  });
}

function ask<T>(child: ChildProcess, cmd: string): Promise<T> {
  return new Promise((resolve) => {
    child.once("message", (m) => resolve(m as T));
    child.send({ cmd });
  });
}

async function counterTotal(name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = await metrics().register.getSingleMetric(name)?.get();
  return (metric?.values ?? [])
    .filter((v) => Object.entries(labels).every(([k, want]) => v.labels[k] === want))
    .reduce((sum, v) => sum + v.value, 0);
}

/** Children to kill whatever happens, so a failed run leaves no simulator behind. */
const children: ChildProcess[] = [];
function killChildren(): void {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
}

/** SIGTERM first (a child started with --cpu-prof then writes its profile), SIGKILL after 5 s. */
async function stopChildren(): Promise<void> {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => {
            child.kill("SIGKILL");
            resolve();
          }, 5000);
          child.once("exit", () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill("SIGTERM");
        }),
    ),
  );
}

/** Event-loop delay p50 / p99 / max in ms, from a histogram in ns. */
function loopDelay(h: ReturnType<typeof monitorEventLoopDelay>): {
  p50: number;
  p99: number;
  max: number;
} {
  const ms = (ns: number) => Math.round(ns / 1e5) / 10;
  return { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const sim = await startSim();
  children.push(sim.child);
  const hub = new FloorHub({
    ctiUrl: `ws://127.0.0.1:${sim.port}`,
    ctiHttpUrl: `http://127.0.0.1:${sim.port}`,
    companies: COMPANIES.map((companyCode) => ({
      companyCode,
      monitorAgentId: `${companyCode}_monitor`,
    })),
    pollIntervalMs: POLL_MS,
    maxInFlight: 200,
    rosterRefreshMs: 60_000,
    requestTimeoutMs: 10_000,
    log: pino({ level: "warn" }, pino.destination(2)),
  });
  hub.start();
  // Where the push → client time goes, stage by stage, in this process: CTI change → store
  // commit (simulator, loopback, this event loop), → delta handed to the gateway (batch window).
  const stages = { commit: [] as number[], emit: [] as number[], on: false };
  const lastStatus = new Map<string, string>();
  for (const companyCode of COMPANIES) {
    hub.store(companyCode)?.on("change", (change) => {
      if (!stages.on) return;
      const now = Date.now();
      for (const agent of change.agents) {
        if (
          agent.via === "push" &&
          lastStatus.get(agent.agentId) !== agent.status &&
          now - agent.statusSince < 60_000
        )
          stages.commit.push(now - agent.statusSince);
        lastStatus.set(agent.agentId, agent.status);
      }
    });
  }
  const emitted = new Map<string, string>();
  hub.on("delta", (delta) => {
    const now = Date.now();
    for (const agent of delta.agents) {
      const before = emitted.get(agent.agentId);
      emitted.set(agent.agentId, agent.status);
      if (stages.on && agent.via === "push" && before !== undefined && before !== agent.status)
        stages.emit.push(now - agent.statusSince);
    }
  });
  const loop = monitorEventLoopDelay({ resolution: 10 });
  // Measure the steady state: every company's roster loaded first.
  const rosterDeadline = Date.now() + 90_000;
  while (!COMPANIES.every((c) => hub.store(c)?.hasRoster)) {
    if (Date.now() > rosterDeadline) throw new Error("rosters did not load");
    await sleep(200);
  }

  const http = createServer();
  const io: TFloorServer = new Server(http, { transports: ["websocket"] });
  // The bench's stand-in for the session middleware: the viewer rides in the handshake.
  io.use((socket, next) => {
    const parsed = ZViewer.safeParse(socket.handshake.auth.viewer);
    if (parsed.success) socket.data.viewer = parsed.data;
    next();
  });
  const gateway = createGateway(io, {
    feed: hub,
    viewerOf: (s) => s.data.viewer,
    authorizeCompany: canAccessCompany,
    log: pino({ level: "warn" }, pino.destination(2)),
  });
  hub.socketCount = gateway.sockets;
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  const clients = fork(path.join(process.cwd(), "tests/bench/floor-clients.ts"), {
    execArgv: [...PROF_ARGS, "--import", "tsx"],
    env: {
      ...process.env,
      BENCH_URL: url,
      BENCH_CLIENTS: String(CLIENTS),
      BENCH_COMPANIES: COMPANIES.join(","),
    },
  });
  children.push(clients);
  await new Promise((resolve) => clients.once("message", resolve));

  await sleep(WARMUP_MS);
  clients.send({ cmd: "reset" });
  stages.on = true;
  loop.enable();
  const statusBefore = await counterTotal("floorwatch_get_status_requests_total", { result: "ok" });
  const pushesBefore = await counterTotal("floorwatch_cti_pushes_total", { kind: "agent_change" });
  const batchesBefore = await counterTotal("floorwatch_floor_delta_batches_total");
  const cpuBefore = process.cpuUsage();
  const started = Date.now();
  const ages: number[] = [];
  let rssMax = 0;
  while (Date.now() - started < MEASURE_MS) {
    await sleep(500);
    const now = Date.now();
    for (const companyCode of COMPANIES)
      ages.push(...(hub.store(companyCode)?.confirmationAges(now) ?? []));
    rssMax = Math.max(rssMax, process.memoryUsage().rss);
  }
  const elapsedS = (Date.now() - started) / 1000;
  loop.disable();
  stages.on = false;
  const cpu = process.cpuUsage(cpuBefore);
  const statusPerS =
    ((await counterTotal("floorwatch_get_status_requests_total", { result: "ok" })) -
      statusBefore) /
    elapsedS;
  const pushesPerS =
    ((await counterTotal("floorwatch_cti_pushes_total", { kind: "agent_change" })) - pushesBefore) /
    elapsedS;
  const batchesPerS =
    ((await counterTotal("floorwatch_floor_delta_batches_total")) - batchesBefore) / elapsedS;
  const report = await ask<{
    joined: number;
    connected: number;
    latencies: number[];
    gaps: number;
    deltas: number;
    loopDelayMs: { p50: number; p99: number; max: number };
    cpuPercentOfOneCore: number;
  }>(clients, "report");
  const agents = COMPANIES.reduce((n, c) => n + (hub.store(c)?.size ?? 0), 0);
  // Without Floorwatch each viewer would poll every agent of its company itself.
  const naivePerS = (CLIENTS * (agents / COMPANIES.length)) / (POLL_MS / 1000);

  const result = {
    bench: "floor",
    machine: {
      cpus: (await import("node:os")).cpus().length,
      node: process.version,
      loadAverage1m: Math.round((await import("node:os")).loadavg()[0]! * 10) / 10,
      note: "simulator, dashboard and clients share this machine",
    },
    config: {
      companies: COMPANIES.length,
      agents,
      clients: CLIENTS,
      pollIntervalMs: POLL_MS,
      callRatePerMinutePerCompany: CALL_RATE,
      measureSeconds: elapsedS,
    },
    sockets: { connected: report.connected, joined: report.joined },
    getStatusPerSecond: Math.round(statusPerS),
    agentChangePushesPerSecond: Math.round(pushesPerS),
    deltaBatchesPerSecond: Math.round(batchesPerS),
    deltasReceivedByClientsPerSecond: Math.round(report.deltas / elapsedS),
    freshnessMs: { p50: quantile(ages, 0.5), p99: quantile(ages, 0.99), targetP99: 1.25 * POLL_MS },
    pushToClientMs: {
      samples: report.latencies.length,
      p50: quantile(report.latencies, 0.5),
      p99: quantile(report.latencies, 0.99),
      targetP99: 250,
    },
    /** Diagnostics: the same latency at earlier points of the path (dashboard process). */
    pushStagesMs: {
      toStoreCommit: {
        samples: stages.commit.length,
        p50: quantile(stages.commit, 0.5),
        p99: quantile(stages.commit, 0.99),
      },
      toGatewayEmit: {
        samples: stages.emit.length,
        p50: quantile(stages.emit, 0.5),
        p99: quantile(stages.emit, 0.99),
      },
    },
    seqGaps: report.gaps,
    dashboard: {
      cpuPercentOfOneCore:
        Math.round(((cpu.user + cpu.system) / 1000 / (elapsedS * 1000)) * 1000) / 10,
      rssMB: Math.round(rssMax / 1024 / 1024),
      loopDelayMs: loopDelay(loop),
    },
    clientsProcess: {
      cpuPercentOfOneCore: report.cpuPercentOfOneCore,
      loopDelayMs: report.loopDelayMs,
    },
    ctiCost: {
      oursRequestsPerSecond: Math.round(statusPerS),
      naiveRequestsPerSecond: Math.round(naivePerS),
      ratio: Math.round((naivePerS / Math.max(1, statusPerS)) * 10) / 10,
      oursChannels: COMPANIES.length,
      naiveChannels: CLIENTS,
    },
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);

  clients.send({ cmd: "exit" });
  gateway.close();
  await io.close();
  await hub.stop();
  await stopChildren();
  process.exit(0);
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    killChildren();
    process.exit(130);
  });
}

const deadline = setTimeout(() => {
  process.stderr.write("bench:floor exceeded its time limit\n");
  killChildren();
  process.exit(1);
}, 180_000);
deadline.unref();

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  killChildren();
  process.exit(1);
});
