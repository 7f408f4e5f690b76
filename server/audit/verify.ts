import "server-only";
import { fork } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { databaseUrl } from "../db-url";
import { openEventSource } from "./chain-source";
import {
  joinWalks,
  walkRange,
  type TAnchor,
  type TChainBreak,
  type TRangeTask,
  type TRangeWalk,
} from "./chain-walk";
import { largestVerifiedCount } from "./verifications";

/**
 * The audit chain's verification (npm run audit:verify; docs/audit.md): every event's hash is
 * computed again from its fields and the hash of the event before it, in id order, in pages.
 */

export type { TChainBreak, TChainProblem } from "./chain-walk";

export interface TVerifyResult {
  ok: boolean;
  /** Events checked: those that existed when the walk began. */
  checked: number;
  /** Of those, events written before the chain began (no hash); accepted only as a prefix. */
  unchained: number;
  /**
   * The last event checked and its hash. Kept somewhere an attacker cannot write, they let a
   * later run prove that nothing up to that event changed (--anchor id:hash).
   */
  lastId: number | null;
  lastHash: string;
  firstBad: TChainBreak | null;
  durationMs: number;
}

export interface TVerifyOptions {
  /** Rows read at a time by each walker; memory stays bounded by this. */
  pageSize?: number;
  /** An event and the hash it had at an earlier verification. */
  anchor?: TAnchor;
  /**
   * Walkers: the log is split into this many ranges of ids, the first walked here and the others
   * by child processes at the same time (a million events take half the time on two cores).
   * "auto": one per core, up to 4, from 100,000 events. Default 1.
   */
  processes?: number | "auto";
}

export async function verifyAuditChain(options: TVerifyOptions = {}): Promise<TVerifyResult> {
  const started = performance.now();
  const url = databaseUrl();
  // Events appended during the walk are left to the next run.
  const end = await lastId(url);
  const processes =
    options.processes === "auto"
      ? end < 100_000
        ? 1
        : Math.min(availableParallelism(), 4)
      : Math.max(1, options.processes ?? 1);
  const tasks: TRangeTask[] = Array.from({ length: processes }, (_, i) => ({
    url,
    after: Math.floor((end * i) / processes),
    upTo: Math.floor((end * (i + 1)) / processes),
    pageSize: options.pageSize ?? 5_000,
    anchor: options.anchor ?? null,
  }));
  const children = tasks.slice(1).map(walkInChild);
  const walks = await Promise.all([walkRange(tasks[0]!), ...children]);
  const verdict = joinWalks(walks, options.anchor ?? null, await largestVerifiedCount());
  return { ...verdict, durationMs: Math.round(performance.now() - started) };
}

async function lastId(url: string): Promise<number> {
  const source = await openEventSource(url);
  try {
    return await source.lastId();
  } finally {
    await source.close();
  }
}

const CHILD = fileURLToPath(new URL("./verify-child.ts", import.meta.url));
const RUNTIME = new URL("../runtime.mjs", import.meta.url).href;

/** Walks a range in a child process (server/audit/verify-child.ts). */
function walkInChild(task: TRangeTask): Promise<TRangeWalk> {
  const child = fork(CHILD, { execArgv: ["--import", RUNTIME], stdio: ["ignore", 2, 2, "ipc"] });
  return new Promise((resolve, reject) => {
    child.once("message", (walk) => resolve(walk as TRangeWalk));
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`verification walker exited (code ${code})`)));
    child.send(task);
  });
}
