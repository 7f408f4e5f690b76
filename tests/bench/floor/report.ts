/**
 * bench:floor's report: the machine it ran on, and the CTI cost of both designs side by side,
 * with how each grows (ours with socket clients, the naive design with viewers).
 */
import { readFileSync } from "node:fs";
import os from "node:os";
import { atMost, linearFit, quantile, round } from "./judge";
import type { TNaiveStep, TOursStep } from "./measure";
import { CLIENT_STEPS, TARGET_OURS_GROWTH } from "./settings";

/** nproc, the CPU model and memory: load averages are taken with each window. */
export function machine() {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  return {
    nproc: os.availableParallelism(),
    cpuModel: /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? "unknown",
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    note: "simulator, proxy, dashboard and clients share this machine over loopback",
  };
}

/** A naive step counts as carried when the CTI answered at least this share of what it asked. */
const CARRIED = 0.95;

/** How the naive design's cost grows: per viewer while the CTI keeps up, and a line through all. */
function naiveGrowth(naive: TNaiveStep[]) {
  const fit = linearFit(naive.map((s) => ({ x: s.viewers, y: s.cti.getStatusPerSecond })));
  const carried = naive.filter((s) => s.carriedFraction >= CARRIED);
  const perViewerWhileCarried = quantile(
    carried.map((s) => s.cti.getStatusPerSecond / s.viewers),
    0.5,
  );
  return {
    perViewerWhileCarried: perViewerWhileCarried === null ? null : round(perViewerWhileCarried),
    linearFit: { slope: round(fit.slope), intercept: round(fit.intercept), r2: round(fit.r2, 4) },
    /** Steps where the CTI fell behind: what the whole simulator answered then, every design together. */
    notCarried: naive
      .filter((s) => s.carriedFraction < CARRIED)
      .map((s) => ({
        viewers: s.viewers,
        carriedFraction: s.carriedFraction,
        simulatorGetStatusPerSecond: s.simulatorSaw.getStatusPerSecond,
        oursMeanwhileGetStatusPerSecond: s.oursMeanwhile.getStatusPerSecond,
      })),
  };
}

/** The CTI cost of both designs side by side, measured, and how each grows. */
export function ctiCost(ours: TOursStep[], naive: TNaiveStep[]) {
  const first = ours[0];
  const last = ours.at(-1);
  // Judged only when every client count was measured.
  const oursGrowth =
    first && last && ours.length === CLIENT_STEPS.length && first.cti.getStatusPerSecond > 0
      ? round(last.cti.getStatusPerSecond / first.cti.getStatusPerSecond, 3)
      : null;
  const oursFit = linearFit(ours.map((s) => ({ x: s.clients, y: s.cti.getStatusPerSecond })));
  const growth = naiveGrowth(naive);
  const largest = last?.clients ?? 0;
  const perViewer = growth.perViewerWhileCarried ?? growth.linearFit.slope;
  const oursAtLargest = last?.cti.getStatusPerSecond ?? 0;
  return {
    how: "requests and channels counted at a transparent proxy in front of the simulator, one listener per design; cross-checked with the simulator's /control/stats",
    ours: ours.map((s) => ({
      clients: s.clients,
      getStatusPerSecond: s.cti.getStatusPerSecond,
      pushesFromCtiPerSecond: s.cti.pushesFromCtiPerSecond,
      channels: s.cti.channelsOpen.value,
    })),
    naive: naive.map((s) => ({
      viewers: s.viewers,
      getStatusPerSecond: s.cti.getStatusPerSecond,
      nominalGetStatusPerSecond: s.nominalGetStatusPerSecond,
      carriedFraction: s.carriedFraction,
      pushesFromCtiPerSecond: s.cti.pushesFromCtiPerSecond,
      channels: s.cti.channelsOpen.value,
      perViewerGetStatusPerSecond: round(s.cti.getStatusPerSecond / s.viewers),
      /** Naive at this many viewers over ours measured in the same window. */
      ratioToOurs:
        s.oursMeanwhile.getStatusPerSecond > 0
          ? round(s.cti.getStatusPerSecond / s.oursMeanwhile.getStatusPerSecond, 2)
          : null,
    })),
    /** Ours at the largest client count over ours at the smallest: must not grow with clients. */
    oursGrowth: atMost(oursGrowth, TARGET_OURS_GROWTH),
    growth: {
      oursPerExtraClientPerSecond: round(oursFit.slope, 2),
      naivePerExtraViewerPerSecond: growth.perViewerWhileCarried,
      naive: growth,
    },
    /** Not measured: the measured per-viewer cost times the largest client count of ours. */
    extrapolatedAtLargestClientCount: {
      perViewerFrom: growth.perViewerWhileCarried === null ? "linear fit" : "steps the CTI carried",
      viewers: largest,
      naiveGetStatusPerSecond: round(perViewer * largest),
      naiveChannels: largest,
      oursGetStatusPerSecond: last?.cti.getStatusPerSecond ?? null,
      oursChannels: last?.cti.channelsOpen.value ?? null,
      ratio: oursAtLargest > 0 ? round((perViewer * largest) / oursAtLargest, 1) : null,
    },
  };
}
