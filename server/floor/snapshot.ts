import "server-only";
import { canAccessCompany, canSeeFullNumbers, type TViewer } from "@/lib/auth/viewer";
import { maskSnapshot } from "@/lib/floor/mask";
import type { TFloorSnapshot } from "@/lib/floor/types";
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

/** The watched companies this viewer may see. */
export function companiesFor(floor: Floor, viewer: TViewer): string[] {
  return floor.companies().filter((companyCode) => canAccessCompany(viewer, companyCode));
}
