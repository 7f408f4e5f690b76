import "server-only";
import { chainHash, hashedTime, NO_HASH } from "./chain";
import { openEventSource, type TEventRow } from "./chain-source";

/**
 * The walk of the audit chain over one range of ids, and the joining of consecutive ranges into
 * one verdict. The verification walks the whole log as one range, or splits it between processes
 * (server/audit/verify.ts); both give the same answer, because a range checks everything but the
 * link of its first event to the event before it, which the join checks.
 */

/** What went wrong at the first event that does not match. */
export type TChainProblem =
  /** Its fields do not give its hash: it was changed after it was written. */
  | "hash"
  /** Its prevHash is not the hash of the event before it: an event was deleted or inserted. */
  | "prev_hash"
  /** It has no hash although an earlier event has one: written outside the chain, or erased. */
  | "unchained"
  /** The event given as an anchor is missing or has another hash (the log was cut or rewritten). */
  | "anchor"
  /** The log has fewer events than an earlier successful verification checked: its tail was cut. */
  | "shrunk";

export interface TChainBreak {
  problem: TChainProblem;
  /** The event that does not match (null when the problem is a missing tail). */
  id: number | null;
  type: string | null;
  at: string | null;
  message: string;
}

/** An event and the hash it had at an earlier verification. */
export interface TAnchor {
  id: number;
  hash: string;
}

/** Events with `after` < id <= `upTo`, read `pageSize` at a time from the database at `url`. */
export interface TRangeTask {
  url: string;
  after: number;
  upTo: number;
  pageSize: number;
  anchor: TAnchor | null;
}

/** The first event of a range, whose link to the range before is checked by the join. */
interface TFirstEvent {
  id: number;
  type: string;
  at: string;
  prevHash: string;
  hash: string;
}

export interface TRangeWalk {
  checked: number;
  unchained: number;
  first: TFirstEvent | null;
  lastId: number | null;
  lastHash: string;
  anchorSeen: boolean;
  /** The first problem inside the range (`checked` events before it were fine). */
  broken: TChainBreak | null;
}

/** Walks one range in id order, a page at a time (bounded memory; ./chain-source.ts). */
export async function walkRange(task: TRangeTask): Promise<TRangeWalk> {
  const walk: TRangeWalk = {
    checked: 0,
    unchained: 0,
    first: null,
    lastId: null,
    lastHash: NO_HASH,
    anchorSeen: false,
    broken: null,
  };
  const source = await openEventSource(task.url);
  try {
    let after = task.after;
    while (after < task.upTo && !walk.broken) {
      const rows = await source.page(after, task.upTo, task.pageSize);
      if (rows.length === 0) break;
      for (const row of rows) if (!next(walk, row, task.anchor)) break;
      after = rows.at(-1)![0];
    }
  } finally {
    await source.close();
  }
  return walk;
}

/** Checks the next event of a range; false once the range is broken. */
function next(walk: TRangeWalk, row: TEventRow, anchor: TAnchor | null): boolean {
  const [
    id,
    storedAt,
    type,
    actorKind,
    actorId,
    actorName,
    companyCode,
    ip,
    userAgent,
    data,
    interventionId,
    prevHash,
    hash,
  ] = row;
  // The first event's link to the one before it is the join's to check (joinWalks).
  const linked = walk.first !== null;
  if (!linked) walk.first = { id, type, at: storedAt, prevHash, hash };
  if (hash === NO_HASH) {
    if (prevHash !== NO_HASH || (linked && walk.lastHash !== NO_HASH)) {
      return breakRange(walk, eventBreak("unchained", id, type, storedAt, UNCHAINED));
    }
    walk.unchained++;
  } else {
    let expected: string;
    try {
      expected = chainHash(prevHash, {
        at: hashedTime(storedAt),
        type,
        actorKind,
        actorId,
        actorName,
        companyCode,
        ip,
        userAgent,
        data,
        interventionId,
      });
    } catch {
      return breakRange(walk, eventBreak("hash", id, type, storedAt, NOT_JSON));
    }
    if (expected !== hash) {
      return breakRange(walk, eventBreak("hash", id, type, storedAt, CHANGED));
    }
    if (linked && prevHash !== walk.lastHash) {
      return breakRange(walk, eventBreak("prev_hash", id, type, storedAt, notAfter(walk.lastId)));
    }
  }
  if (anchor && id === anchor.id) {
    walk.anchorSeen = true;
    if (hash !== anchor.hash) {
      const why = `its hash is not the anchor's ${anchor.hash}: the log was rewritten`;
      return breakRange(walk, eventBreak("anchor", id, type, storedAt, why));
    }
  }
  walk.checked++;
  walk.lastId = id;
  walk.lastHash = hash;
  return true;
}

function breakRange(walk: TRangeWalk, problem: TChainBreak): false {
  walk.broken = problem;
  return false;
}

/** Whether a range's first event follows the last event before the range. */
function linkProblem(first: TFirstEvent, before: TChainVerdict): TChainBreak | null {
  if (first.hash === NO_HASH) {
    return before.lastHash === NO_HASH
      ? null
      : eventBreak("unchained", first.id, first.type, first.at, UNCHAINED);
  }
  return first.prevHash === before.lastHash
    ? null
    : eventBreak("prev_hash", first.id, first.type, first.at, notAfter(before.lastId));
}

const UNCHAINED = "has no hash, but the chain began before it";
const NOT_JSON = "its data is not JSON: it was changed after it was written";
const CHANGED = "its fields do not match its hash: it was changed after it was written";

function notAfter(previousId: number | null): string {
  return previousId === null
    ? "its prevHash names an event that is not in the log: earlier events were deleted"
    : `its prevHash is not the hash of event ${previousId} before it: events between them were deleted or inserted, or event ${previousId} was rewritten`;
}

function eventBreak(
  problem: TChainProblem,
  id: number,
  type: string,
  storedAt: string,
  why: string,
): TChainBreak {
  const at = hashedTime(storedAt);
  return { problem, id, type, at, message: `event ${id} (${type}, ${at}): ${why}` };
}

export interface TChainVerdict {
  ok: boolean;
  checked: number;
  unchained: number;
  lastId: number | null;
  lastHash: string;
  firstBad: TChainBreak | null;
}

/**
 * Joins the walks of consecutive ranges, in order: each range's first event must follow the
 * previous range's last. Then the checks that need the whole log: the anchor was seen, and the
 * log has at least the events an earlier successful run checked (`largestVerified`).
 */
export function joinWalks(
  walks: TRangeWalk[],
  anchor: TAnchor | null,
  largestVerified: number,
): TChainVerdict {
  const verdict: TChainVerdict = {
    ok: true,
    checked: 0,
    unchained: 0,
    lastId: null,
    lastHash: NO_HASH,
    firstBad: null,
  };
  for (const walk of walks) {
    if (!walk.first) continue;
    // At the range's first event, as in one walk: its own hash, then its link, then the anchor.
    const ownFault = walk.checked === 0 && walk.broken !== null && walk.broken.problem !== "anchor";
    if (!ownFault) {
      const link = linkProblem(walk.first, verdict);
      if (link) return { ...verdict, ok: false, firstBad: link };
    }
    verdict.checked += walk.checked;
    verdict.unchained += walk.unchained;
    if (walk.lastId !== null) {
      verdict.lastId = walk.lastId;
      verdict.lastHash = walk.lastHash;
    }
    if (walk.broken) return { ...verdict, ok: false, firstBad: walk.broken };
  }
  const missing = (problem: TChainProblem, message: string): TChainVerdict => ({
    ...verdict,
    ok: false,
    firstBad: { problem, id: null, type: null, at: null, message },
  });
  if (anchor && !walks.some((walk) => walk.anchorSeen)) {
    return missing(
      "anchor",
      `the anchor event ${anchor.id} is not in the log (last event ${verdict.lastId ?? "none"}): the log was cut`,
    );
  }
  if (verdict.checked < largestVerified) {
    return missing(
      "shrunk",
      `the log has ${verdict.checked} events but an earlier verification checked ${largestVerified}: events at its end were deleted`,
    );
  }
  return verdict;
}
