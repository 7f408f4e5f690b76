import "server-only";
import { canAccessCompany, canSeeFullNumbers, type TViewer } from "@/lib/auth/viewer";
import { maskSnapshot } from "@/lib/floor/mask";
import type { TFloorSnapshot } from "@/lib/floor/types";
import { metrics } from "@/server/metrics";
import type { Floor } from "./floor";

export type TSnapshotResult =
  | { ok: true; snapshot: TFloorSnapshot }
  | { ok: false; code: "forbidden_company" | "unknown_company" };

/**
 * A company's floor as this viewer may see it: customer numbers masked unless the role allows.
 * What is a customer's number is decided by the company's known ids (its roster), not by shape.
 */
export function snapshotFor(floor: Floor, viewer: TViewer, companyCode: string): TSnapshotResult {
  if (!canAccessCompany(viewer, companyCode)) return { ok: false, code: "forbidden_company" };
  const snapshot = floor.snapshot(companyCode);
  if (!snapshot) return { ok: false, code: "unknown_company" };
  if (canSeeFullNumbers(viewer)) return { ok: true, snapshot };
  const knownIds = floor.store(companyCode)?.knownIds() ?? new Set<string>();
  return { ok: true, snapshot: maskSnapshot(snapshot, knownIds) };
}

/** Requests waiting for the next serialization of one floor (a company, masked or full). */
interface TBatch {
  build: () => string | undefined;
  waiters: ((body: string | undefined) => void)[];
}

const batches = new WeakMap<Floor, Map<string, TBatch>>();

export type TSnapshotJsonResult =
  { ok: true; body: string } | { ok: false; code: "forbidden_company" | "unknown_company" };

/**
 * `snapshotFor` as the JSON body of the snapshot route. Requests for the same floor that arrive
 * before the event loop comes round share one serialization, made after all of them arrived (so
 * it is never older than any of them: a browser's buffered deltas always follow it). After a
 * failover or a restart every browser of a node resyncs at once, and one serialization of
 * thousands of agents per request kept the node's loop busy for seconds (bench:cluster).
 */
export function snapshotJsonFor(
  floor: Floor,
  viewer: TViewer,
  companyCode: string,
): Promise<TSnapshotJsonResult> {
  if (!canAccessCompany(viewer, companyCode))
    return Promise.resolve({ ok: false, code: "forbidden_company" });
  if (!floor.companies().includes(companyCode))
    return Promise.resolve({ ok: false, code: "unknown_company" });
  // Masked and full-number floors are built apart: one is never served for the other.
  const slot = `${companyCode}|${canSeeFullNumbers(viewer) ? "full" : "masked"}`;
  const pending = batches.get(floor) ?? new Map<string, TBatch>();
  batches.set(floor, pending);
  let batch = pending.get(slot);
  if (!batch) {
    const created: TBatch = {
      build: () => {
        const result = snapshotFor(floor, viewer, companyCode);
        return result.ok ? JSON.stringify(result.snapshot) : undefined;
      },
      waiters: [],
    };
    pending.set(slot, created);
    setImmediate(() => {
      pending.delete(slot);
      const body = created.build();
      for (const waiter of created.waiters) waiter(body);
    });
    batch = created;
  } else {
    metrics().snapshots.inc({ company: companyCode });
  }
  const joined = batch;
  return new Promise((resolve) =>
    joined.waiters.push((body) =>
      resolve(body === undefined ? { ok: false, code: "unknown_company" } : { ok: true, body }),
    ),
  );
}

/** The watched companies this viewer may see. */
export function companiesFor(floor: Floor, viewer: TViewer): string[] {
  return floor.companies().filter((companyCode) => canAccessCompany(viewer, companyCode));
}
