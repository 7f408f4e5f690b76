import "server-only";
import type { Logger } from "pino";
import type { FloorMinute } from "@/generated/prisma/client";
import type { TFloorAgent, TFloorCall, TLinkState } from "@/lib/floor/types";
import { summarize } from "@/lib/floor/view";
import { keptFrom, MINUTE_MS, minuteOf, minuteRow, type THistoryStore } from "./history";

/** What the recorder reads of the live floor (server/floor/floor.ts Floor has it). */
export interface THistoryFloor {
  companies(): string[];
  store(companyCode: string):
    | {
        readonly hasRoster: boolean;
        snapshot(): { agents: readonly TFloorAgent[]; calls: readonly TFloorCall[] };
      }
    | undefined;
  heartbeat(companyCode: string): { link: TLinkState } | undefined;
}

export interface HistoryRecorderOptions {
  floor: THistoryFloor;
  store: THistoryStore;
  log: Logger;
  /** Minutes older than this many days are pruned (WALL_HISTORY_DAYS). */
  keepDays: number;
  now?: () => number;
  pruneEveryMs?: number;
}

/** A sample is taken this long after each minute begins (a timer may fire a little early). */
const SAMPLE_OFFSET_MS = 1000;
const PRUNE_EVERY_MS = 60 * MINUTE_MS;

/**
 * The wall's per-minute history: once a minute, every watched company's floor (agents by state,
 * calls ringing and talking) is written as that minute's row, by upsert, so a restart within a
 * minute rewrites the row instead of adding one. A company is skipped while its floor says
 * nothing true: no roster yet, or its CTI link not up (its agents' states are then the last
 * ones known, not the current ones); the chart shows a gap. Minutes older than `keepDays` are
 * pruned at start and hourly.
 */
export class HistoryRecorder {
  private sampleTimer: NodeJS.Timeout | undefined;
  private pruneTimer: NodeJS.Timeout | undefined;
  /** The write in progress, so stop() can wait for it (the database closes after). */
  private running: Promise<unknown> = Promise.resolve();
  private stopped = true;
  private readonly now: () => number;

  constructor(private readonly options: HistoryRecorderOptions) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    this.stopped = false;
    this.enqueue(() => this.prune());
    this.armSample();
    this.pruneTimer = setInterval(
      () => this.enqueue(() => this.prune()),
      this.options.pruneEveryMs ?? PRUNE_EVERY_MS,
    );
    this.pruneTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.sampleTimer);
    clearInterval(this.pruneTimer);
    await this.running;
  }

  /** Writes the current minute of every company that has a true floor; the rows written. */
  async record(now: number = this.now()): Promise<FloorMinute[]> {
    const minute = minuteOf(now);
    const rows: FloorMinute[] = [];
    for (const companyCode of this.options.floor.companies()) {
      const store = this.options.floor.store(companyCode);
      const link = this.options.floor.heartbeat(companyCode)?.link;
      if (!store?.hasRoster || link?.state !== "up") continue;
      const { agents, calls } = store.snapshot();
      rows.push(minuteRow(companyCode, minute, summarize(agents, calls)));
    }
    await this.options.store.upsert(rows);
    return rows;
  }

  /** Deletes the minutes older than `keepDays`; how many. */
  async prune(now: number = this.now()): Promise<number> {
    const pruned = await this.options.store.pruneBefore(keptFrom(now, this.options.keepDays));
    if (pruned > 0) this.options.log.info({ pruned }, "wall history pruned");
    return pruned;
  }

  /** The next sample, just after the next minute begins (re-armed each time: no drift). */
  private armSample(): void {
    if (this.stopped) return;
    const now = this.now();
    const next = minuteOf(now) + MINUTE_MS + SAMPLE_OFFSET_MS;
    this.sampleTimer = setTimeout(() => {
      const at = this.now();
      this.enqueue(() => this.record(at));
      this.armSample();
    }, next - now);
    this.sampleTimer.unref();
  }

  /** One write at a time, in order; a failure is logged and the next minute tries again. */
  private enqueue(work: () => Promise<unknown>): void {
    this.running = this.running.then(work).catch((error: unknown) => {
      this.options.log.error({ err: error }, "wall history write failed");
    });
  }
}
