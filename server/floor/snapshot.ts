import { canAccessCompany, canSeeFullNumbers, type TViewer } from "@/lib/auth/viewer";
import { maskSnapshot } from "@/lib/floor/mask";
import type { TFloorCompanies, TFloorSnapshot } from "@/lib/floor/types";
import type { FloorHub } from "./hub";

export type TSnapshotResult =
  | { ok: true; snapshot: TFloorSnapshot }
  | { ok: false; status: 403 | 404; code: "forbidden" | "unknown_company" };

/** A company's floor as this viewer may see it: customer numbers masked unless the role allows. */
export function snapshotFor(hub: FloorHub, viewer: TViewer, companyCode: string): TSnapshotResult {
  if (!canAccessCompany(viewer, companyCode)) return { ok: false, status: 403, code: "forbidden" };
  const snapshot = hub.snapshot(companyCode);
  if (!snapshot) return { ok: false, status: 404, code: "unknown_company" };
  return { ok: true, snapshot: canSeeFullNumbers(viewer) ? snapshot : maskSnapshot(snapshot) };
}

/** The watched companies this viewer may see, with their link state. */
export function companiesFor(hub: FloorHub, viewer: TViewer): TFloorCompanies {
  const companies = hub
    .companies()
    .filter((companyCode) => canAccessCompany(viewer, companyCode))
    .flatMap((companyCode) => {
      const link = hub.linkState(companyCode);
      return link ? [{ companyCode, link, agents: hub.store(companyCode)?.size ?? 0 }] : [];
    });
  return { companies, fullNumbers: canSeeFullNumbers(viewer) };
}
