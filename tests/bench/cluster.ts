/**
 * `npm run bench:cluster`: several nodes against one CTI, on loopback, bounded in time. Every
 * process is real: the simulator (10,000 agents in 5 companies), a transparent proxy in front of
 * it counting what arrives at the CTI (tests/bench/cti-proxy.ts, one listener per phase), the
 * machine's Redis (a key prefix of this run, removed at the end), the nodes (createApp, each its
 * own process: tests/helpers/cluster-node.ts, sockets carrying their viewer in the handshake and
 * snapshots over a small HTTP route, no Next.js), and one clients process per node
 * (tests/bench/cluster-clients.ts).
 *
 * Phases: (1) one node without Redis, as today: get_status per second at the CTI; (2) three nodes
 * with Redis and 900 sockets spread over them: get_status per second at the CTI (ratio to (1)),
 * monitor channels, pushed CTI change → socket latency on the nodes that follow a company;
 * (3) kill -9 of the node that leads the most companies: time to the first delta of the new epoch
 * on a survivor, and sockets that resynced more than once.
 *
 * Prints one JSON object on stdout (logs on stderr), each target beside its figure; exit code 0
 * when every target is met, 2 when one is missed, 1 on error, 124 at the deadline.
 */
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { z } from "zod";
import {
  ask,
  forkModule,
  killChildren,
  nextMessage,
  runNode,
  jsonLine,
  spawnUntilLine,
  stopChildren,
} from "./children";
import { atMost, missedTargets, quantile, round } from "./floor/judge";
import { machine } from "./floor/report";
import { ZProxyCounts, ZProxyReady, type TWire } from "./floor/messages";
import {
  ZClusterClientsAdded,
  ZClusterClientsReport,
  ZStarted,
  type TClusterClientsReport,
} from "./cluster/messages";
import { BenchExit } from "./targets";

const zInt = (fallback: number, min = 1) => z.coerce.number().int().min(min).default(fallback);
const env = z
  .object({
    BENCH_CLUSTER_COMPANIES: z
      .string()
      .regex(/^\d+(,\d+)*$/)
      .default("94001,94002,94003,94004,94005"),
    BENCH_CLUSTER_AGENTS: zInt(2000),
    BENCH_CLUSTER_CLIENTS: zInt(900, 3),
    BENCH_CLUSTER_POLL_MS: zInt(2000, 100),
    BENCH_CLUSTER_LEASE_MS: zInt(5000, 500),
    BENCH_CLUSTER_CALL_RATE: zInt(600, 0),
    BENCH_CLUSTER_WARMUP_MS: zInt(10_000, 0),
    BENCH_CLUSTER_MEASURE_MS: zInt(20_000, 1000),
    BENCH_CLUSTER_DEADLINE_S: zInt(600, 10),
    BENCH_REDIS_URL: z.string().default("redis://127.0.0.1:6379"),
  })
  .parse(process.env);

const COMPANIES = env.BENCH_CLUSTER_COMPANIES.split(",");
const POLL_MS = env.BENCH_CLUSTER_POLL_MS;
const LEASE_MS = env.BENCH_CLUSTER_LEASE_MS;
const NODES = ["node-a", "node-b", "node-c"];
const TARGETS = { getStatusRatio: 1.05, followerPushP99Ms: 250, resyncedMoreThanOnce: 0 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (message: string, fields: object = {}) =>
  process.stderr.write(`${JSON.stringify({ bench: "cluster", message, ...fields })}\n`);

const ZNodeStatus = z.object({
  nodeId: z.string(),
  process: z.object({ cpuMicros: z.number(), rssBytes: z.number() }),
  cluster: z.object({ replicasLive: z.array(z.string()) }).optional(),
  companies: z.array(z.object({ companyCode: z.string(), leads: z.boolean(), agents: z.number() })),
});
type TNodeStatus = z.infer<typeof ZNodeStatus>;

interface TNode {
  nodeId: string;
  url: string;
  child: ChildProcess;
}

async function requireRedis(url: string): Promise<void> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
    retryStrategy: () => null,
  });
  redis.on("error", () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch {
    throw new Error(
      `bench:cluster needs Redis at ${url}: start it with \`redis-server --daemonize yes\` (Debian: apt-get install -y redis-server), or set BENCH_REDIS_URL`,
    );
  } finally {
    redis.disconnect();
  }
}

async function removePrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
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

/** CPU time a process has used (µs), from /proc (the simulator and the proxy report none). */
function procCpuMicros(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    // utime and stime, the 14th and 15th fields, in clock ticks of 10 ms.
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return 0;
  }
}

async function startSimulator(): Promise<{ port: number; controlPort: number; pid?: number }> {
  const ZReady = z.object({
    event: z.literal("sim:listening"),
    port: z.number(),
    controlPort: z.number(),
  });
  const { child, value } = await spawnUntilLine(
    ["--import", "tsx", path.join(process.cwd(), "server/sim/main.ts")],
    {
      ...process.env,
      SIM_PORT: "0",
      SIM_CONTROL_PORT: "0",
      SIM_COMPANIES: COMPANIES.join(","),
      SIM_AGENTS: String(env.BENCH_CLUSTER_AGENTS),
      SIM_CALL_RATE: String(env.BENCH_CLUSTER_CALL_RATE),
      SIM_SEED: "bench-cluster",
      SIM_EXIT_WITH_PARENT: "1",
    },
    jsonLine(ZReady),
    90_000,
  );
  return { ...value, ...(child.pid === undefined ? {} : { pid: child.pid }) };
}

async function startNode(nodeEnv: Record<string, string>): Promise<TNode> {
  const ZReady = z.object({ event: z.literal("ready"), port: z.number(), nodeId: z.string() });
  const { child, value } = await spawnUntilLine(
    ["--import", "./server/runtime.mjs", path.join(process.cwd(), "tests/helpers/cluster-node.ts")],
    {
      ...process.env,
      LOG_LEVEL: "warn",
      TEST_LOG_LEVEL: "warn",
      EXIT_WITH_PARENT: "1",
      ...nodeEnv,
    },
    jsonLine(ZReady),
    60_000,
  );
  return { nodeId: value.nodeId, url: `http://127.0.0.1:${value.port}`, child };
}

async function status(node: TNode): Promise<TNodeStatus> {
  return ZNodeStatus.parse(await (await fetch(`${node.url}/test/status`)).json());
}

async function waitUntil<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  what: string,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

/** Which node leads each company, from every node's own view (undefined unless exactly one). */
function leaders(list: TNodeStatus[]): Record<string, string | undefined> {
  return Object.fromEntries(
    COMPANIES.map((companyCode) => {
      const holding = list.filter(
        (s) => s.companies.find((c) => c.companyCode === companyCode)?.leads,
      );
      return [companyCode, holding.length === 1 ? holding[0]!.nodeId : undefined];
    }),
  );
}

/** get_status per second and monitor channels at one proxy listener over a window. */
function ctiRates(before: TWire | undefined, after: TWire | undefined, seconds: number) {
  return {
    getStatusPerSecond: round(
      ((after?.toCti.get_status ?? 0) - (before?.toCti.get_status ?? 0)) / seconds,
    ),
    monitorChannelsOpen: after?.channelsOpen.monitor ?? 0,
    monitorChannelsOpenedInWindow:
      (after?.channelsOpened.monitor ?? 0) - (before?.channelsOpened.monitor ?? 0),
  };
}

async function measureCti(proxy: ChildProcess, label: string, ms: number) {
  const counts = () => ask(proxy, { cmd: "counts" }, ZProxyCounts, 10_000);
  const before = await counts();
  await sleep(ms);
  const after = await counts();
  return ctiRates(before.counts[label], after.counts[label], (after.at - before.at) / 1000);
}

const loadAverage = () => os.loadavg().map((v) => round(v, 2));

async function phaseOne(proxyPort: number, proxy: ChildProcess, databaseUrl: string) {
  log("phase 1: one node, no Redis");
  const node = await startNode({
    NODE_ID: "single",
    DATABASE_URL: databaseUrl,
    CTI_PORT: String(proxyPort),
    COMPANIES: COMPANIES.join(","),
    POLL_INTERVAL_MS: String(POLL_MS),
  });
  await waitUntil(
    () => status(node),
    (s) => s.companies.every((c) => c.leads && c.agents > 0),
    "the single node's rosters",
    90_000,
  );
  await sleep(env.BENCH_CLUSTER_WARMUP_MS);
  const loadBefore = loadAverage();
  const cti = await measureCti(proxy, "one", env.BENCH_CLUSTER_MEASURE_MS);
  node.child.kill("SIGTERM");
  await new Promise((resolve) => node.child.once("exit", resolve));
  return { ...cti, loadAverage: { before: loadBefore, after: loadAverage() } };
}

function latencySummary(values: number[]) {
  return {
    samples: values.length,
    p50: quantile(values, 0.5),
    p99: quantile(values, 0.99),
    max: quantile(values, 1),
  };
}

async function main(tmp: string): Promise<number> {
  const startedAt = new Date().toISOString();
  const loadAtStart = loadAverage();
  await requireRedis(env.BENCH_REDIS_URL);
  const databaseUrl = `file:${path.join(tmp, "bench.db")}`;
  try {
    await runNode(
      [
        path.join(process.cwd(), "node_modules", "prisma", "build", "index.js"),
        "migrate",
        "deploy",
      ],
      "prisma migrate deploy",
    );
    const sim = await startSimulator();
    const proxy = forkModule(
      path.join(process.cwd(), "tests/bench/cti-proxy.ts"),
      ["--import", "tsx"],
      {
        ...process.env,
        BENCH_PROXY_UPSTREAM_PORT: String(sim.port),
        BENCH_PROXY_LABELS: "one,three",
      },
    );
    const { ports } = await nextMessage(proxy, ZProxyReady, 30_000, "the proxy's start");

    const one = await phaseOne(ports.one!, proxy, databaseUrl);

    log("phase 2: three nodes, Redis, sockets");
    const nodeEnv = (nodeId: string) => ({
      NODE_ID: nodeId,
      DATABASE_URL: databaseUrl,
      CTI_PORT: String(ports.three),
      COMPANIES: COMPANIES.join(","),
      POLL_INTERVAL_MS: String(POLL_MS),
      REDIS_URL: env.BENCH_REDIS_URL,
      REDIS_PREFIX: prefix,
      LEASE_MS: String(LEASE_MS),
    });
    const nodes = await Promise.all(NODES.map((id) => startNode(nodeEnv(id))));
    await waitUntil(
      () => Promise.all(nodes.map(status)),
      (list) =>
        Object.values(leaders(list)).every((l) => l !== undefined) &&
        list.every((s) => s.companies.every((c) => c.agents > 0)) &&
        list.every(
          (s) =>
            s.companies.filter((c) => !c.leads).length === (s.cluster?.replicasLive.length ?? -1),
        ),
      "one leader per company and every replica live",
      90_000,
    );
    const perNode = Math.floor(env.BENCH_CLUSTER_CLIENTS / nodes.length);
    const clientProcs = nodes.map((node) =>
      forkModule(path.join(process.cwd(), "tests/bench/cluster-clients.ts"), ["--import", "tsx"], {
        ...process.env,
        BENCH_URL: node.url,
        BENCH_COMPANIES: COMPANIES.join(","),
      }),
    );
    await Promise.all(
      clientProcs.map((c) => nextMessage(c, ZStarted, 30_000, "the clients' start")),
    );
    const added = await Promise.all(
      clientProcs.map((c) => ask(c, { cmd: "add", count: perNode }, ZClusterClientsAdded, 180_000)),
    );
    log("clients ready", {
      live: added.map((a) => a.live),
      seconds: added.map((a) => a.readySeconds),
    });
    await sleep(env.BENCH_CLUSTER_WARMUP_MS);

    const statusBefore = await Promise.all(nodes.map(status));
    const leadersBefore = leaders(statusBefore);
    for (const c of clientProcs) c.send({ cmd: "reset" });
    const reportAll = () =>
      Promise.all(clientProcs.map((c) => ask(c, { cmd: "report" }, ZClusterClientsReport, 30_000)));
    const clientsBefore = await reportAll();
    const otherBefore = { simulator: procCpuMicros(sim.pid), proxy: procCpuMicros(proxy.pid) };
    const loadBefore = loadAverage();
    const windowStart = Date.now();
    const three = await measureCti(proxy, "three", env.BENCH_CLUSTER_MEASURE_MS);
    const reports = await reportAll();
    const statusAfter = await Promise.all(nodes.map(status));
    const otherAfter = { simulator: procCpuMicros(sim.pid), proxy: procCpuMicros(proxy.pid) };
    const windowMs = Date.now() - windowStart;
    const leadersAfter = leaders(statusAfter);
    /** CPU of a process over the window, in % of one core. */
    const cpuPercent = (before: number, after: number) =>
      round((after - before) / 10 / windowMs, 1);
    const cpu = {
      nodes: Object.fromEntries(
        nodes.map((n, i) => [
          n.nodeId,
          cpuPercent(statusBefore[i]!.process.cpuMicros, statusAfter[i]!.process.cpuMicros),
        ]),
      ),
      clientProcesses: Object.fromEntries(
        nodes.map((n, i) => [
          n.nodeId,
          cpuPercent(clientsBefore[i]!.cpuMicros, reports[i]!.cpuMicros),
        ]),
      ),
      simulator: cpuPercent(otherBefore.simulator, otherAfter.simulator),
      proxy: cpuPercent(otherBefore.proxy, otherAfter.proxy),
      nodesRssMB: Object.fromEntries(
        statusAfter.map((s) => [s.nodeId, Math.round(s.process.rssBytes / 2 ** 20)]),
      ),
    };
    const follower: number[] = [];
    const leader: number[] = [];
    reports.forEach((report, i) => {
      for (const [companyCode, values] of Object.entries(report.latencies)) {
        if (leadersBefore[companyCode] !== leadersAfter[companyCode]) continue;
        (leadersBefore[companyCode] === nodes[i]!.nodeId ? leader : follower).push(...values);
      }
    });
    const ratio =
      one.getStatusPerSecond > 0
        ? round(three.getStatusPerSecond / one.getStatusPerSecond, 3)
        : null;

    log("phase 3: kill -9 of the leader");
    const ledBy = (nodeId: string) => COMPANIES.filter((c) => leadersAfter[c] === nodeId);
    const victim = [...nodes].sort((a, b) => ledBy(b.nodeId).length - ledBy(a.nodeId).length)[0]!;
    const victimCompanies = ledBy(victim.nodeId);
    const survivors = nodes
      .map((n, i) => ({ node: n, proc: clientProcs[i]! }))
      .filter((s) => s.node !== victim);
    const killedAt = Date.now();
    for (const c of clientProcs) c.send({ cmd: "mark", at: killedAt });
    victim.child.kill("SIGKILL");
    const failover = await waitUntil(
      () =>
        Promise.all(
          survivors.map((s) => ask(s.proc, { cmd: "report" }, ZClusterClientsReport, 30_000)),
        ),
      (list) =>
        victimCompanies.every((c) =>
          list.some((r) => r.firstNewEpoch[c]?.confirmedAt !== undefined),
        ),
      "the first confirmed delta of a new epoch on a survivor, for every company the victim led",
      LEASE_MS + POLL_MS + 30_000,
    ).catch((error: unknown) => {
      log("failover not seen", { err: String(error) });
      return undefined;
    });
    const firstOf = (
      list: TClusterClientsReport[] | undefined,
      companyCode: string,
      key: "at" | "confirmedAt" | "confirmedServerTime",
    ) => {
      const times = (list ?? []).flatMap((r) => {
        const t = r.firstNewEpoch[companyCode]?.[key];
        return t === undefined ? [] : [t - killedAt];
      });
      return times.length > 0 ? Math.min(...times) : null;
    };
    const perCompany = victimCompanies.map((companyCode) => ({
      companyCode,
      firstDeltaMs: firstOf(failover, companyCode, "at"),
      firstConfirmedDeltaMs: firstOf(failover, companyCode, "confirmedAt"),
      /** When its leader sent that delta (serverTime): the same path without the clients' backlog. */
      firstConfirmedDeltaSentMs: firstOf(failover, companyCode, "confirmedServerTime"),
    }));
    const confirmed = perCompany.map((c) => c.firstConfirmedDeltaMs);
    const failoverMs =
      confirmed.every((v) => v !== null) && confirmed.length > 0
        ? Math.max(...(confirmed as number[]))
        : null;
    // A second resync would come with the next heartbeat or delta: give it time to show.
    await sleep(LEASE_MS + 2 * POLL_MS);
    const after = await Promise.all(
      survivors.map((s) => ask(s.proc, { cmd: "report" }, ZClusterClientsReport, 30_000)),
    );
    const resyncs = after.flatMap((r) => r.resyncsPerSocket);
    const resyncedMoreThanOnce = resyncs.filter((n) => n > 1).length;
    const ctiAfterFailover = await measureCti(proxy, "three", 5000);
    const leadersAfterFailover = leaders(await Promise.all(survivors.map((s) => status(s.node))));

    const report = {
      bench: "cluster",
      startedAt,
      machine: { ...machine(), loadAverage: { start: loadAtStart, end: loadAverage() } },
      config: {
        nodes:
          "createApp (server/app.ts), each its own process (tests/helpers/cluster-node.ts): sockets carry their viewer in the handshake, snapshots over a test route; no Next.js",
        database: "one temporary SQLite file shared by the nodes, migrated, deleted at the end",
        redis: `${env.BENCH_REDIS_URL}, key prefix of this run, removed at the end`,
        cti: "the simulator behind a counting TCP proxy (one listener per phase)",
        companies: COMPANIES.length,
        agentsPerCompany: env.BENCH_CLUSTER_AGENTS,
        clients: perNode * nodes.length,
        pollIntervalMs: POLL_MS,
        leaseMs: LEASE_MS,
        callRatePerMinutePerCompany: env.BENCH_CLUSTER_CALL_RATE,
        warmupMs: env.BENCH_CLUSTER_WARMUP_MS,
        measureMs: env.BENCH_CLUSTER_MEASURE_MS,
      },
      oneNode: one,
      threeNodes: {
        ...three,
        loadAverage: { before: loadBefore, after: loadAverage() },
        leaders: leadersAfter,
        cpuPercentOfOneCore: cpu,
        sockets: reports.map((r, i) => ({
          node: nodes[i]!.nodeId,
          clients: r.clients,
          connected: r.connected,
          live: r.live,
        })),
        clientErrors: reports.flatMap((r) => r.errors).slice(0, 10),
        pushToClientMs: {
          followers: {
            ...latencySummary(follower),
            p99: atMost(quantile(follower, 0.99), TARGETS.followerPushP99Ms),
          },
          leader: latencySummary(leader),
        },
      },
      getStatusRatioThreeToOne: atMost(ratio, TARGETS.getStatusRatio),
      failover: {
        killed: victim.nodeId,
        companies: perCompany,
        ms: atMost(failoverMs, LEASE_MS + POLL_MS),
        how: "kill -9 → the first delta of a new epoch carrying a CTI confirmation made after the kill, on any survivor's socket; the slowest company",
        leadersAfter: leadersAfterFailover,
        ctiAfter: ctiAfterFailover,
        clientsLoopDelayMaxMs: (failover ?? []).map((r) => r.loopDelayMaxSinceMarkMs),
        survivorSockets: resyncs.length,
        resyncsPerSocket: {
          zero: resyncs.filter((n) => n === 0).length,
          one: resyncs.filter((n) => n === 1).length,
          more: resyncedMoreThanOnce,
        },
        socketsResyncedMoreThanOnce: atMost(resyncedMoreThanOnce, TARGETS.resyncedMoreThanOnce),
        resyncedMoreThanOnceWhy: after.flatMap((r, i) =>
          r.resyncedMoreThanOnce.map((s) => ({ node: survivors[i]!.node.nodeId, ...s })),
        ),
      },
    };
    const missed = missedTargets(report);
    stdoutWrite(
      `${JSON.stringify({ ...report, ok: missed.length === 0, targetsMissed: missed }, null, 2)}\n`,
    );
    for (const c of clientProcs) c.send({ cmd: "exit" });
    await stopChildren();
    if (missed.length > 0)
      process.stderr.write(`bench:cluster: targets missed: ${missed.join(", ")}\n`);
    return missed.length === 0 ? BenchExit.OK : BenchExit.TARGET_MISSED;
  } finally {
    await removePrefix(env.BENCH_REDIS_URL, prefix).catch(() => undefined);
  }
}

// stdout carries the JSON report alone; the children's stdout is our stderr (tests/bench/children.ts).
const stdout = process.stdout.write.bind(process.stdout);
const stdoutWrite = (text: string) => stdout(text);
process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;

/** This run's Redis keys: removed at the end, at the deadline and on Ctrl-C. */
const prefix = `fwbench:${randomBytes(4).toString("hex")}:`;
const tmp = mkdtempSync(path.join(os.tmpdir(), "fw-bench-cluster-"));
process.env.DATABASE_URL = `file:${path.join(tmp, "bench.db")}`;
const removeTmp = () => rmSync(tmp, { recursive: true, force: true });
function abort(code: number): void {
  killChildren();
  removeTmp();
  // The keys go too, but a Redis that does not answer must not keep the bench from stopping.
  const exit = setTimeout(() => process.exit(code), 3000);
  void removePrefix(env.BENCH_REDIS_URL, prefix)
    .catch(() => undefined)
    .finally(() => {
      clearTimeout(exit);
      process.exit(code);
    });
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => abort(130));
setTimeout(() => {
  process.stderr.write(
    `bench:cluster exceeded its deadline of ${env.BENCH_CLUSTER_DEADLINE_S} s; stopping\n`,
  );
  abort(BenchExit.DEADLINE);
}, env.BENCH_CLUSTER_DEADLINE_S * 1000).unref();

main(tmp).then(
  (code) => {
    removeTmp();
    process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    abort(BenchExit.ERROR);
  },
);
