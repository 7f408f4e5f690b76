/**
 * `npm run bench:sim`: get_status throughput and latency over one monitor channel on a
 * 10,000-agent floor with calls flowing, then the heap of a 5,000-agent floor over a soak.
 *
 * Options (CLI `--name=value` or env):
 *   --seconds / BENCH_SECONDS            throughput run length, default 10
 *   --window / BENCH_WINDOW              get_status requests in flight, default 32
 *   --soak-minutes / BENCH_SOAK_MINUTES  simulated minutes of the heap soak, default 10
 *   --soak-speed / BENCH_SOAK_SPEED      simulated-time factor of the soak (SIM_SPEED), default 1:
 *                                        a real 10-minute run; 20 runs the same 10 floor minutes in 30 s
 *   --min-get-status-per-second / BENCH_MIN_GET_STATUS_PER_SECOND
 *                                        the throughput target, default 15,000 (docs/performance.md);
 *                                        raise it to see the headroom of a faster machine
 *   --deadline-seconds / BENCH_DEADLINE_SECONDS
 *                                        the whole bench stops itself (exit 124) after this long;
 *                                        default: the run and the soak, plus 3 minutes
 * The simulator runs as its own process (`node --import tsx server/sim/main.ts`), as in production.
 * Each target is printed beside its figure; the exit code is 2 when one is missed (tests/bench/targets.ts).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { z } from "zod";
import { WebSocket } from "ws";
import { encodeHandshake } from "@/lib/protocol/handshake";
import { armDeadline, atLeast, atMost, below, BenchExit, finishReport, rounded } from "./targets";

const ZBenchArgs = z.object({
  seconds: z.coerce.number().positive().default(10),
  window: z.coerce.number().int().min(1).max(10_000).default(32),
  soakMinutes: z.coerce.number().positive().default(10),
  soakSpeed: z.coerce.number().positive().max(10_000).default(1),
  minGetStatusPerSecond: z.coerce.number().positive().default(15_000),
  deadlineSeconds: z.coerce.number().positive().optional(),
});
type TBenchArgs = z.infer<typeof ZBenchArgs>;

/** The simulator's latency targets (docs/performance.md); throughput's is an argument. */
const TARGET = { p99Ms: 20, failed: 0 } as const;

/** Simulators still running, so the deadline can take them down with the bench. */
const running = new Set<ChildProcess>();

function readArgs() {
  const cli = Object.fromEntries(
    process.argv.slice(2).flatMap((arg) => {
      const match = /^--([a-z-]+)=(.*)$/.exec(arg);
      return match
        ? [[match[1]!.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()), match[2]]]
        : [];
    }),
  );
  return ZBenchArgs.parse({
    seconds: cli.seconds ?? process.env.BENCH_SECONDS,
    window: cli.window ?? process.env.BENCH_WINDOW,
    soakMinutes: cli.soakMinutes ?? process.env.BENCH_SOAK_MINUTES,
    soakSpeed: cli.soakSpeed ?? process.env.BENCH_SOAK_SPEED,
    minGetStatusPerSecond: cli.minGetStatusPerSecond ?? process.env.BENCH_MIN_GET_STATUS_PER_SECOND,
    deadlineSeconds: cli.deadlineSeconds ?? process.env.BENCH_DEADLINE_SECONDS,
  });
}

/** Two simulator start-ups, the warm-up and drain seconds and the soak, with room to spare. */
function defaultDeadlineSeconds(args: TBenchArgs): number {
  return Math.ceil(180 + args.seconds + (args.soakMinutes * 60) / args.soakSpeed);
}

interface TSimProcess {
  child: ChildProcess;
  port: number;
  controlPort: number;
}

async function startSim(
  env: Record<string, string>,
  nodeFlags: string[] = [],
): Promise<TSimProcess> {
  const child = spawn(process.execPath, [...nodeFlags, "--import", "tsx", "server/sim/main.ts"], {
    env: { ...process.env, SIM_PORT: "0", SIM_CONTROL_PORT: "0", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  running.add(child);
  child.once("exit", () => running.delete(child));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`simulator exited with ${code}`)));
  });
  const ready = JSON.parse(line) as { port: number; controlPort: number };
  return { child, port: ready.port, controlPort: ready.controlPort };
}

async function stopSim(sim: TSimProcess): Promise<void> {
  const exited = new Promise((resolve) => sim.child.once("exit", resolve));
  sim.child.kill("SIGTERM");
  await exited;
}

async function controlJson<T>(sim: TSimProcess, method: string, path: string): Promise<T> {
  const response = await fetch(`http://127.0.0.1:${sim.controlPort}${path}`, { method });
  return (await response.json()) as T;
}

async function openMonitor(port: number, company: string): Promise<WebSocket> {
  const socket = new WebSocket(
    `ws://127.0.0.1:${port}/msg/${encodeHandshake({ agent_id: `${company}_monitor`, company_code: company, os: "monitor" })}`,
  );
  await new Promise((resolve, reject) => {
    socket.once("open", resolve);
    socket.once("error", reject);
  });
  return socket;
}

/** The p-th percentile of sorted samples; undefined without samples (never a reassuring 0). */
function percentile(sorted: number[], p: number): number | undefined {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

interface TWireFrame {
  req_id?: string;
  msg_type?: string;
  code?: string;
}

/**
 * Frames a monitor receives, told apart: answers to requests this bench sent (their req_id is
 * ours), the `connect` greeting, and pushes (protocol.md §4: anything else, e.g. agent_change,
 * which carries a req_id nobody sent), counted per msg_type.
 */
class FrameTally {
  answers = 0;
  pushesByType: Record<string, number> = {};

  count(frame: TWireFrame, isOurs: (reqId: string) => boolean): "answer" | "push" | "connect" {
    if (frame.req_id !== undefined && isOurs(frame.req_id)) {
      this.answers++;
      return "answer";
    }
    if (frame.msg_type === "connect") return "connect";
    const type = frame.msg_type ?? "(none)";
    this.pushesByType[type] = (this.pushesByType[type] ?? 0) + 1;
    return "push";
  }

  get pushes(): number {
    return Object.values(this.pushesByType).reduce((sum, n) => sum + n, 0);
  }
}

/** Pipelined get_status over one channel: `window` requests in flight, each answer sends the next. */
async function measureGetStatus(
  sim: TSimProcess,
  agentIds: string[],
  seconds: number,
  window: number,
  minPerSecond: number,
) {
  const socket = await openMonitor(sim.port, "90001");
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const tally = new FrameTally();
  let answered = 0;
  let failed = 0;
  let seq = 0;
  let measuring = false;
  let stopAt = 0;
  // Like a real poller, answers that arrive together are followed by requests sent together.
  const raw = (socket as unknown as { _socket: { cork(): void; uncork(): void } })._socket;
  let corked = false;
  const sendOne = () => {
    if (!corked) {
      corked = true;
      raw.cork();
      process.nextTick(() => {
        corked = false;
        raw.uncork();
      });
    }
    const reqId = `b${++seq}`;
    const agentId = agentIds[seq % agentIds.length]!;
    sentAt.set(reqId, performance.now());
    socket.send(
      `{"req_id":"${reqId}","company_code":"90001","msg_type":"get_status","agent_id":"${agentId}","ext_id":"${agentId}"}`,
    );
  };
  const done = new Promise<void>((resolve) => {
    socket.on("message", (data) => {
      const message = JSON.parse(String(data)) as TWireFrame;
      if (tally.count(message, (reqId) => sentAt.has(reqId)) !== "answer") return;
      const reqId = message.req_id!;
      const started = sentAt.get(reqId)!;
      sentAt.delete(reqId);
      const now = performance.now();
      if (measuring) {
        answered++;
        if (message.code !== "0") failed++;
        latencies.push(now - started);
      }
      if (now < stopAt) sendOne();
      else if (sentAt.size === 0) resolve();
    });
  });
  // Warm-up second (JIT, buffers), then the measured run.
  stopAt = performance.now() + 1000;
  for (let i = 0; i < window; i++) sendOne();
  await done.catch(() => undefined);
  await new Promise((r) => setTimeout(r, 1000));
  measuring = true;
  const begin = performance.now();
  stopAt = begin + seconds * 1000;
  const measured = new Promise<void>((resolve) => {
    const check = setInterval(() => {
      if (performance.now() >= stopAt && sentAt.size === 0) {
        clearInterval(check);
        resolve();
      }
    }, 5);
  });
  for (let i = 0; i < window; i++) sendOne();
  await measured;
  const elapsed = (performance.now() - begin) / 1000;
  socket.close();
  latencies.sort((a, b) => a - b);
  return {
    get_status_per_second: atLeast(Math.round(answered / elapsed), minPerSecond),
    p99_ms: below(rounded(percentile(latencies, 99)), TARGET.p99Ms),
    failed: atMost(failed, TARGET.failed),
    answered,
    window,
    p50_ms: rounded(percentile(latencies, 50)),
    max_ms: rounded(latencies.at(-1)),
    /** Pushes that arrived on the channel meanwhile (agent_change of the moving floor), by msg_type. */
    pushes_received: tally.pushes,
    pushes_by_type: tally.pushesByType,
  };
}

interface TStats {
  memory: { heap_used: number };
  floor: {
    callsCreated: number;
    callsAnswered: number;
    calls_active: number;
    agentChanges: number;
  };
}

const mb = (bytes: number) => Number((bytes / 1024 / 1024).toFixed(1));

/** The heap of a 5,000-agent floor over `minutes` of simulated time, garbage collected before each reading. */
async function soakHeap(minutes: number, speed: number) {
  const sim = await startSim(
    {
      SIM_COMPANIES: "90001",
      SIM_AGENTS: "5000",
      SIM_CALL_RATE: "600",
      SIM_SPEED: String(speed),
      SIM_ARRANGE_SECONDS: "20",
    },
    ["--expose-gc"],
  );
  const monitor = await openMonitor(sim.port, "90001");
  // The poller's answers arrive on the same channel as the pushes: only the pushes are counted as such.
  const tally = new FrameTally();
  monitor.on("message", (data) => {
    tally.count(JSON.parse(String(data)) as TWireFrame, (reqId) => /^soak-\d+$/.test(reqId));
  });
  // A dashboard-like poller on the side: 200 get_status a second.
  let n = 0;
  const poll = setInterval(() => {
    for (let i = 0; i < 20; i++) {
      const id = `90001_${20000 + (n++ % 2500)}`;
      monitor.send(
        JSON.stringify({
          req_id: `soak-${n}`,
          company_code: "90001",
          msg_type: "get_status",
          agent_id: id,
        }),
      );
    }
  }, 100);
  // Live calls are read with each heap sample: growth that tracks them is floor state, not a leak.
  const callsActive: number[] = [];
  const heap = async () => {
    const stats = await controlJson<TStats>(sim, "POST", "/control/gc");
    callsActive.push(stats.floor.calls_active);
    return mb(stats.memory.heap_used);
  };
  const start = await heap();
  const samples: number[] = [];
  const realMs = (minutes * 60_000) / speed;
  const steps = 10;
  for (let i = 0; i < steps; i++) {
    await new Promise((r) => setTimeout(r, realMs / steps));
    samples.push(await heap());
  }
  const stats = await controlJson<TStats>(sim, "GET", "/control/stats");
  clearInterval(poll);
  monitor.close();
  await stopSim(sim);
  // The floor fills up during the first simulated minutes (calls, queues); growth is judged after that.
  const warm = samples[Math.floor(steps / 3)] ?? start;
  const after = samples.at(-1) ?? start;
  return {
    agents: 5000,
    simulated_minutes: minutes,
    speed,
    real_seconds: Math.round(realMs / 1000),
    heap_start_mb: start,
    heap_warm_mb: warm,
    heap_after_mb: after,
    heap_samples_mb: samples,
    calls_active_samples: callsActive.slice(1),
    growth_after_warmup_pct: Number((((after - warm) / warm) * 100).toFixed(1)),
    calls_created: stats.floor.callsCreated,
    calls_active_at_end: stats.floor.calls_active,
    agent_changes: stats.floor.agentChanges,
    /** Pushes only (agent_change and any other §4 push), not the poller's get_status answers. */
    monitor_pushes: tally.pushes,
    monitor_pushes_by_type: tally.pushesByType,
    poller_get_status_answered: tally.answers,
  };
}

async function main(args: TBenchArgs): Promise<number> {
  const sim = await startSim({
    SIM_COMPANIES: "90001,90002",
    SIM_AGENTS: "5000",
    SIM_CALL_RATE: "600",
    SIM_SPEED: "1",
  });
  const roster = await controlJson<{ agents: { agent_id: string }[] }>(
    sim,
    "GET",
    "/control/agents?company_code=90001",
  );
  const agentIds = roster.agents.map((a) => a.agent_id);
  const before = await controlJson<TStats>(sim, "GET", "/control/stats");
  const throughput = await measureGetStatus(
    sim,
    agentIds,
    args.seconds,
    args.window,
    args.minGetStatusPerSecond,
  );
  const after = await controlJson<TStats>(sim, "GET", "/control/stats");
  await stopSim(sim);
  const heap = await soakHeap(args.soakMinutes, args.soakSpeed);
  return finishReport("bench:sim", {
    bench: "sim",
    floor: {
      agents: 10_000,
      companies: 2,
      call_rate_per_minute_per_company: 600,
      calls_during_run: after.floor.callsCreated - before.floor.callsCreated,
    },
    throughput,
    heap,
  });
}

function killSimulators(): void {
  for (const child of running) child.kill("SIGKILL");
}

const args = readArgs();
armDeadline("bench:sim", args.deadlineSeconds ?? defaultDeadlineSeconds(args), killSimulators);
main(args)
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    killSimulators();
    process.exit(BenchExit.ERROR);
  });
