/**
 * bench:floor's measurement windows: ours at a number of socket clients (the targets' figures,
 * the CTI traffic at the proxy, where the latency goes), and the naive design at a number of
 * viewers beside it. Every rate is taken over the same window at the proxy and the simulator.
 */
import type { ChildProcess } from "node:child_process";
import { get } from "node:http";
import os from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { TApp } from "@/server/app";
import { metrics } from "@/server/metrics";
import { ask } from "../children";
import { atMost, diffCounts, exactly, quantile, round } from "./judge";
import {
  ZClientsReport,
  ZNaiveCounts,
  ZProxyCounts,
  ZSimStats,
  type TSimStats,
  type TWire,
} from "./messages";
import {
  AGENTS_PER_COMPANY,
  COMPANIES,
  MEASURE_MS,
  NAIVE_MEASURE_MS,
  POLL_MS,
  sleep,
  TARGET_PUSH_P99_MS,
} from "./settings";

/** What the measurements reach: the dashboard, the proxy, the simulator's control API. */
export interface TRun {
  app: TApp;
  proxy: ChildProcess;
  simControl: string;
}

/** GET without an Origin header (the control API refuses browsers' requests). */
function getJson(url: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    get(url, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => {
        try {
          resolve(JSON.parse(body));
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    }).on("error", reject);
  });
}

/** A Prometheus counter of this process summed over the series matching `labels`. */
async function counterTotal(name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = await metrics().register.getSingleMetric(name)?.get();
  return (metric?.values ?? [])
    .filter((v) => Object.entries(labels).every(([k, want]) => v.labels[k] === want))
    .reduce((sum, v) => sum + v.value, 0);
}

/** The 1, 5 and 15-minute load averages. */
export const loadAverage = () => os.loadavg().map((v) => round(v, 2));

/** Per-second rates of the CTI traffic counted at one proxy listener over a window. */
function wireRates(before: TWire | undefined, after: TWire | undefined, seconds: number) {
  const rate = (a: Record<string, number> = {}, b: Record<string, number> = {}) =>
    Object.fromEntries(
      Object.entries(diffCounts(a, b))
        .filter(([, n]) => n !== 0)
        .map(([k, n]) => [k, round(n / seconds, 1)]),
    );
  return {
    getStatusPerSecond: round(
      ((after?.toCti.get_status ?? 0) - (before?.toCti.get_status ?? 0)) / seconds,
    ),
    channelsOpen: after?.channelsOpen.monitor ?? 0,
    /** agent_change pushes the CTI sent down this design's channels (each monitor gets them all). */
    pushesFromCtiPerSecond: round(
      ((after?.fromCti.change_status ?? 0) - (before?.fromCti.change_status ?? 0)) / seconds,
    ),
    channelsOpenedInWindow:
      (after?.channelsOpened.monitor ?? 0) - (before?.channelsOpened.monitor ?? 0),
    requestsPerSecondByType: rate(after?.toCti, before?.toCti),
    framesFromCtiPerSecondByType: rate(after?.fromCti, before?.fromCti),
    httpRequestsInWindow: diffCounts(after?.httpRequests ?? {}, before?.httpRequests),
  };
}

/** The same window as the simulator counted it: every design together. */
function simRates(before: TSimStats, after: TSimStats, seconds: number) {
  const requests = diffCounts(after.wire.requests_by_type, before.wire.requests_by_type);
  const pushes = diffCounts(after.wire.pushes_by_type, before.wire.pushes_by_type);
  return {
    getStatusPerSecond: round((requests.get_status ?? 0) / seconds),
    agentChangePushesPerSecond: round((pushes.agent_change ?? 0) / seconds),
    openChannels: after.wire.open_channels,
  };
}

const proxyCounts = (run: TRun) => ask(run.proxy, { cmd: "counts" }, ZProxyCounts, 10_000);
const simStats = async (run: TRun) =>
  ZSimStats.parse(await getJson(`${run.simControl}/control/stats`));

/** Where the push → client time goes in the dashboard: CTI change → store commit → gateway emit. */
export function watchStages(app: TApp) {
  const stages = { commit: [] as number[], emit: [] as number[], on: false };
  const lastStatus = new Map<string, string>();
  for (const companyCode of COMPANIES) {
    app.services.floor.store(companyCode)?.on("change", (change) => {
      const now = Date.now();
      for (const agent of change.agents) {
        if (
          stages.on &&
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
  app.services.floor.on("delta", (delta) => {
    const now = Date.now();
    for (const agent of delta.agents) {
      const before = emitted.get(agent.agentId);
      emitted.set(agent.agentId, agent.status);
      if (stages.on && agent.via === "push" && before !== undefined && before !== agent.status)
        stages.emit.push(now - agent.statusSince);
    }
  });
  return stages;
}

const summary = (values: number[]) => ({
  samples: values.length,
  p50: quantile(values, 0.5),
  p99: quantile(values, 0.99),
});

/** One window of ours at `clients` sockets: every figure the targets judge, and where time goes. */
export async function measureOurs(
  run: TRun,
  clientsProc: ChildProcess,
  clients: number,
  stages: ReturnType<typeof watchStages>,
) {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  const loadBefore = loadAverage();
  clientsProc.send({ cmd: "reset" });
  stages.commit = [];
  stages.emit = [];
  stages.on = true;
  loop.enable();
  const statusBefore = await counterTotal("floorwatch_get_status_requests_total", { result: "ok" });
  const pushesBefore = await counterTotal("floorwatch_cti_pushes_total", { kind: "agent_change" });
  const batchesBefore = await counterTotal("floorwatch_floor_delta_batches_total");
  const rostersBefore = await counterTotal("floorwatch_roster_refreshes_total", { result: "ok" });
  const [proxyBefore, simBefore] = await Promise.all([proxyCounts(run), simStats(run)]);
  const cpuBefore = process.cpuUsage();
  const started = Date.now();
  const ages: number[] = [];
  let rssMax = 0;
  while (Date.now() - started < MEASURE_MS) {
    await sleep(500);
    const now = Date.now();
    for (const companyCode of COMPANIES)
      ages.push(...(run.app.services.floor.store(companyCode)?.confirmationAges(now) ?? []));
    rssMax = Math.max(rssMax, process.memoryUsage().rss);
  }
  const [proxyAfter, simAfter] = await Promise.all([proxyCounts(run), simStats(run)]);
  const seconds = (proxyAfter.at - proxyBefore.at) / 1000;
  const elapsedS = (Date.now() - started) / 1000;
  loop.disable();
  stages.on = false;
  const cpu = process.cpuUsage(cpuBefore);
  const perS = async (name: string, labels: Record<string, string>, before: number) =>
    round(((await counterTotal(name, labels)) - before) / elapsedS);
  const report = await ask(clientsProc, { cmd: "report" }, ZClientsReport, 30_000);
  const agents = COMPANIES.reduce((n, c) => n + (run.app.services.floor.store(c)?.size ?? 0), 0);
  const ms = (ns: number) => round(ns / 1e6, 1);
  const cti = wireRates(proxyBefore.counts.ours, proxyAfter.counts.ours, seconds);
  return {
    clients,
    loadAverage: { before: loadBefore, after: loadAverage() },
    measureSeconds: round(elapsedS, 1),
    agents,
    sockets: {
      connected: exactly(report.connected, clients),
      joined: exactly(report.joined, clients),
      serverSide: run.app.services.gateway.sockets(),
      disconnectsInWindow: report.disconnects,
      errors: report.errors,
    },
    freshnessMs: {
      p50: quantile(ages, 0.5),
      p99: atMost(quantile(ages, 0.99), 1.25 * POLL_MS),
      max: quantile(ages, 1),
      /** Company rosters fetched again during the window (every ROSTER_REFRESH_MS). */
      rosterRefreshesInWindow:
        (await counterTotal("floorwatch_roster_refreshes_total", { result: "ok" })) - rostersBefore,
    },
    pushToClientMs: {
      samples: report.latency.samples,
      p50: report.latency.p50,
      p99: atMost(report.latency.p99, TARGET_PUSH_P99_MS),
      max: report.latency.max,
      socketsSampled: exactly(report.latency.socketsSampled, clients),
      samplesPerSocket: report.latency.samplesPerSocket,
      perSocketP99: report.latency.perSocketP99,
    },
    /** Diagnostics: the same latency at earlier points of the path (dashboard process). */
    pushStagesMs: { toStoreCommit: summary(stages.commit), toGatewayEmit: summary(stages.emit) },
    seqGaps: exactly(report.gaps, 0),
    seqOverlaps: report.overlaps,
    invalidDeltas: exactly(report.invalidDeltas, 0),
    getStatusAnsweredPerSecond: await perS(
      "floorwatch_get_status_requests_total",
      { result: "ok" },
      statusBefore,
    ),
    agentChangePushesPerSecond: await perS(
      "floorwatch_cti_pushes_total",
      { kind: "agent_change" },
      pushesBefore,
    ),
    deltaBatchesPerSecond: await perS("floorwatch_floor_delta_batches_total", {}, batchesBefore),
    deltasReceivedByClientsPerSecond: round(report.deltas / elapsedS),
    cti: { ...cti, channelsOpen: exactly(cti.channelsOpen, COMPANIES.length) },
    simulatorSaw: simRates(simBefore, simAfter, seconds),
    dashboard: {
      cpuPercentOfOneCore: round((cpu.user + cpu.system) / 1000 / (elapsedS * 10), 1),
      rssMB: Math.round(rssMax / 2 ** 20),
      loopDelayMs: {
        p50: ms(loop.percentile(50)),
        p99: ms(loop.percentile(99)),
        max: ms(loop.max),
      },
    },
    clientsProcess: {
      cpuPercentOfOneCore: report.cpuPercentOfOneCore,
      loopDelayMs: report.loopDelayMs,
    },
  };
}

/** One window of the naive design at `viewers` viewers, ours still running beside it. */
export async function measureNaive(run: TRun, naive: ChildProcess, viewers: number) {
  const loadBefore = loadAverage();
  const countsOf = () => ask(naive, { cmd: "counts" }, ZNaiveCounts, 10_000);
  const [proxyBefore, simBefore, naiveBefore] = await Promise.all([
    proxyCounts(run),
    simStats(run),
    countsOf(),
  ]);
  await sleep(NAIVE_MEASURE_MS);
  const [proxyAfter, simAfter, naiveAfter] = await Promise.all([
    proxyCounts(run),
    simStats(run),
    countsOf(),
  ]);
  const seconds = (proxyAfter.at - proxyBefore.at) / 1000;
  const theirs = wireRates(proxyBefore.counts.naive, proxyAfter.counts.naive, seconds);
  const ours = wireRates(proxyBefore.counts.ours, proxyAfter.counts.ours, seconds);
  const nominal = (viewers * AGENTS_PER_COMPANY) / (POLL_MS / 1000);
  return {
    viewers,
    loadAverage: { before: loadBefore, after: loadAverage() },
    measureSeconds: round(seconds, 1),
    cti: { ...theirs, channelsOpen: exactly(theirs.channelsOpen, viewers) },
    /** What the design asks for: every viewer polls every agent of its company once per interval. */
    nominalGetStatusPerSecond: nominal,
    carriedFraction: round(theirs.getStatusPerSecond / nominal, 3),
    pollAnswersToViewersPerSecond: round(
      (naiveAfter.pollAnswers - naiveBefore.pollAnswers) / seconds,
    ),
    viewerChannelsUp: naiveAfter.up,
    oursMeanwhile: { getStatusPerSecond: ours.getStatusPerSecond, channelsOpen: ours.channelsOpen },
    simulatorSaw: simRates(simBefore, simAfter, seconds),
  };
}

export type TOursStep = Awaited<ReturnType<typeof measureOurs>>;
export type TNaiveStep = Awaited<ReturnType<typeof measureNaive>>;
