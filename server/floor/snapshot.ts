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

/**
 * How long one serialized snapshot answers every request for the same floor (same epoch, seq and
 * link, same numbers shown). After a failover or a restart every browser of a node resyncs at
 * once: hundreds of serializations of thousands of agents kept the node's event loop busy for
 * seconds (bench:cluster). Short enough that its serverTime is off by less than the browser's
 * clock jitter allowance (250 ms, lib/floor/client-store.ts).
 */
const SHARED_FOR_MS = 200;

interface TSerialized {
  key: string;
  at: number;
  body: string;
}

const serialized = new WeakMap<Floor, Map<string, TSerialized>>();

export type TSnapshotJsonResult =
  { ok: true; body: string } | { ok: false; code: "forbidden_company" | "unknown_company" };

/** `snapshotFor` as the JSON body of the snapshot route, one serialization per burst of requests. */
export function snapshotJsonFor(
  floor: Floor,
  viewer: TViewer,
  companyCode: string,
): TSnapshotJsonResult {
  if (!canAccessCompany(viewer, companyCode)) return { ok: false, code: "forbidden_company" };
  const store = floor.store(companyCode);
  const heartbeat = floor.heartbeat(companyCode);
  if (!store || !heartbeat) return { ok: false, code: "unknown_company" };
  // Masked and full-number floors are kept apart: one is never served for the other.
  const slot = `${companyCode}|${canSeeFullNumbers(viewer) ? "full" : "masked"}`;
  const key = `${store.epoch}|${store.seq}|${heartbeat.link.state}|${heartbeat.link.since}`;
  const cache = serialized.get(floor) ?? new Map<string, TSerialized>();
  serialized.set(floor, cache);
  const now = Date.now();
  const hit = cache.get(slot);
  if (hit && hit.key === key && now - hit.at < SHARED_FOR_MS) {
    metrics().snapshots.inc({ company: companyCode });
    return { ok: true, body: hit.body };
  }
  const result = snapshotFor(floor, viewer, companyCode);
  if (!result.ok) return result;
  const body = JSON.stringify(result.snapshot);
  cache.set(slot, { key, at: now, body });
  return { ok: true, body };
}

/** The watched companies this viewer may see. */
export function companiesFor(floor: Floor, viewer: TViewer): string[] {
  return floor.companies().filter((companyCode) => canAccessCompany(viewer, companyCode));
}
