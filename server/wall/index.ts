import "server-only";
import type { Logger } from "pino";
import type { PrismaClient } from "@/generated/prisma/client";
import type { TViewer } from "@/lib/auth/viewer";
import {
  DEFAULT_DISPLAY_SETTINGS,
  ZWallConfig,
  type TWallConfig,
  type TWallHistory,
  type TWallThresholds,
} from "@/lib/wall/types";
import type { TServiceResult } from "../action-client";
import { auditedChange } from "../audit/log";
import { displaySettings } from "../auth/display";
import type { TRequestMeta } from "../auth/request-meta";
import { actorOf } from "../auth/service";
import { interventionsToday } from "./today";
import { databaseHistoryStore, readHistory } from "./history";
import { HistoryRecorder, type THistoryFloor } from "./history-recorder";
import { thresholdsKey, wallThresholds } from "./settings";

export interface WallDeps {
  db: PrismaClient;
  floor: THistoryFloor;
  log: Logger;
  /** WALL_HISTORY_DAYS. */
  historyDays: number;
  /** The process's version (GET /api/health's): a change tells open walls to reload. */
  version: string;
  publishThresholds: (companyCode: string, thresholds: TWallThresholds) => void;
  now?: () => number;
}

/** The wall display's server side: thresholds, its configuration, and the floor's history. */
export class Wall {
  readonly recorder: HistoryRecorder;
  private readonly now: () => number;

  constructor(private readonly deps: WallDeps) {
    this.now = deps.now ?? Date.now;
    this.recorder = new HistoryRecorder({
      floor: deps.floor,
      store: databaseHistoryStore(deps.db),
      log: deps.log,
      keepDays: deps.historyDays,
      now: this.now,
    });
  }

  start(): void {
    this.recorder.start();
  }

  stop(): Promise<void> {
    return this.recorder.stop();
  }

  /** Whether the company is watched: only its walls have a floor. */
  watches(companyCode: string): boolean {
    return this.deps.floor.companies().includes(companyCode);
  }

  thresholds(companyCode: string): Promise<TWallThresholds> {
    return wallThresholds(this.deps.db, companyCode);
  }

  /**
   * An admin changes a company's thresholds: saved with its audit event in one transaction, then
   * sent to every open wall of the company (wall:thresholds), which applies them at once.
   */
  async saveThresholds(
    viewer: TViewer,
    companyCode: string,
    after: TWallThresholds,
    meta: TRequestMeta,
  ): Promise<TServiceResult<TWallThresholds>> {
    if (!this.watches(companyCode)) return { ok: false, code: "unknown_company" };
    const before = await this.thresholds(companyCode);
    const key = thresholdsKey(companyCode);
    const value = JSON.stringify(after);
    await auditedChange(
      {
        type: "wall_thresholds.updated",
        data: { companyCode, before, after },
        actor: actorOf(viewer),
        companyCode,
        ...meta,
      },
      (tx) => tx.setting.upsert({ where: { key }, create: { key, value }, update: { value } }),
    );
    this.deps.publishThresholds(companyCode, after);
    return { ok: true, data: after };
  }

  /** What a wall of `companyCode` needs besides the live floor (the caller checked access). */
  async config(viewer: TViewer, companyCode: string): Promise<TWallConfig> {
    const now = this.now();
    const [thresholds, display, today] = await Promise.all([
      this.thresholds(companyCode),
      viewer.kind === "display" ? displaySettings(viewer.id) : DEFAULT_DISPLAY_SETTINGS,
      interventionsToday(this.deps.db, companyCode, now),
    ]);
    return ZWallConfig.parse({
      companyCode,
      // No company names are configured anywhere yet: the wall shows the code.
      companyName: companyCode,
      thresholds,
      display,
      interventionsToday: today,
      version: this.deps.version,
      serverTime: now,
    });
  }

  /** The company's recorded minutes of the last `hours` hours, oldest first. */
  history(companyCode: string, hours: number): Promise<TWallHistory> {
    return readHistory(this.deps.db, companyCode, hours, this.now());
  }
}
