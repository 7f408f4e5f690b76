/**
 * Child process of `npm run bench:floor`: the design Floorwatch replaces, run for real so its CTI
 * cost is measured rather than computed. Every open dashboard polls the CTI itself: one monitor
 * channel per viewer, each polling get_status for every agent of its company once per interval.
 * Each viewer here is our own poller (CtiChannel + CompanyMonitor, same pacing and in-flight cap)
 * with its own channel and roster; its answers go to a sink that keeps only the roster, so this
 * machine does not spend its CPU building floors nobody reads: the CTI sees the same traffic.
 *
 * Env: BENCH_NAIVE_CTI_URL, BENCH_NAIVE_CTI_HTTP_URL (the bench's counting proxy),
 * BENCH_COMPANIES, BENCH_POLL_MS, BENCH_MAX_IN_FLIGHT.
 * IPC (tests/bench/floor/messages.ts): `{cmd: "add", count}` → TNaiveAdded once every viewer has
 * a roster and an open channel; `{cmd: "counts"}` → TNaiveCounts; `{cmd: "exit"}`.
 */
import pino from "pino";
import type { TObservation } from "@/lib/floor/reducer";
import type { TObservationSink, TObserveResult, TRosterEntry } from "@/lib/floor/observation";
import { CtiChannel } from "@/server/cti/channel";
import { CompanyMonitor } from "@/server/cti/monitor";
import { fetchRoster } from "@/server/cti/roster";
import type { TNaiveAdded, TNaiveCounts } from "./floor/messages";

const ctiUrl = process.env.BENCH_NAIVE_CTI_URL ?? "";
const httpUrl = process.env.BENCH_NAIVE_CTI_HTTP_URL ?? "";
const companies = (process.env.BENCH_COMPANIES ?? "").split(",");
const pollIntervalMs = Number(process.env.BENCH_POLL_MS ?? 2000);
const maxInFlight = Number(process.env.BENCH_MAX_IN_FLIGHT ?? 200);
const REQUEST_TIMEOUT_MS = 10_000;
const READY_TIMEOUT_MS = 60_000;
const log = pino({ level: "warn", base: { bench: "floor-naive" } }, pino.destination(2));

/** What a viewer's poller needs of a floor, and a count of the answers it got. */
class RosterOnlySink implements TObservationSink {
  private readonly agents = new Map<string, { extId: string; confirmedAt: number }>();
  private loaded = false;
  pollAnswers = 0;

  get hasRoster(): boolean {
    return this.loaded;
  }

  agentIds(): string[] {
    return [...this.agents.keys()];
  }

  agent(agentId: string): { extId: string; confirmedAt: number } | undefined {
    return this.agents.get(agentId);
  }

  applyRoster(entries: readonly TRosterEntry[], _skills: unknown, now: number): void {
    for (const entry of entries)
      this.agents.set(entry.agentId, { extId: entry.extId, confirmedAt: now });
    this.loaded = true;
  }

  observe(observation: TObservation, now: number): TObserveResult {
    if (observation.via === "poll") this.pollAnswers += 1;
    const agent = this.agents.get(observation.agentId);
    if (!agent) return "unknown";
    agent.confirmedAt = now;
    return "confirmed";
  }
}

interface TViewer {
  channel: CtiChannel;
  monitor: CompanyMonitor;
  sink: RosterOnlySink;
}

const viewers: TViewer[] = [];

function addViewer(index: number): TViewer {
  const companyCode = companies[index % companies.length] ?? "";
  const channel = new CtiChannel({
    baseUrl: ctiUrl,
    // A channel of its own per viewer: the id differs so no two viewers share one.
    handshake: {
      company_code: companyCode,
      agent_id: `${companyCode}_naive${index}`,
      os: "monitor",
    },
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
  });
  const sink = new RosterOnlySink();
  const monitor = new CompanyMonitor(
    companyCode,
    channel,
    sink,
    () => fetchRoster(httpUrl, companyCode, { timeoutMs: REQUEST_TIMEOUT_MS }),
    { pollIntervalMs, maxInFlight, rosterRefreshMs: 60_000 },
    log,
  );
  channel.start();
  monitor.start();
  return { channel, monitor, sink };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function add(count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) viewers.push(addViewer(viewers.length));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const ready = () =>
    viewers.filter((v) => v.sink.hasRoster && v.channel.status.state === "up").length;
  while (ready() < viewers.length && Date.now() < deadline) await sleep(100);
  const added: TNaiveAdded = { viewers: viewers.length, ready: ready() };
  process.send?.(added);
}

process.on("message", (message: { cmd?: string; count?: number }) => {
  if (message.cmd === "add") void add(message.count ?? 0);
  if (message.cmd === "counts") {
    const counts: TNaiveCounts = {
      at: Date.now(),
      viewers: viewers.length,
      up: viewers.filter((v) => v.channel.status.state === "up").length,
      pollAnswers: viewers.reduce((sum, v) => sum + v.sink.pollAnswers, 0),
    };
    process.send?.(counts);
  }
  if (message.cmd === "exit") {
    for (const v of viewers) v.monitor.stop();
    void Promise.all(viewers.map((v) => v.channel.stop())).then(() => process.exit(0));
  }
});
// The bench died: do not outlive it.
process.on("disconnect", () => process.exit(0));
process.on("SIGTERM", () => process.exit(0));
process.send?.({ started: true });
