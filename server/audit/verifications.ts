import "server-only";
import { db } from "../db";
import type { TVerifyResult } from "./verify";

/** The record of the audit chain's verifications (AuditVerification, append-only). */

export async function recordVerification(result: TVerifyResult): Promise<void> {
  await db().auditVerification.create({
    data: {
      ok: result.ok,
      checked: result.checked,
      unchained: result.unchained,
      firstBadId: result.firstBad?.id ?? null,
      message:
        result.firstBad?.message ??
        `intact up to event ${result.lastId ?? "none"}, hash ${result.lastHash || "none"}`,
      durationMs: result.durationMs,
    },
  });
}

/** The latest verification, for the admin pages; null before the first. */
export async function latestVerification() {
  return db().auditVerification.findFirst({ orderBy: { id: "desc" } });
}

/** The most events a successful verification ever checked (the log only grows). */
export async function largestVerifiedCount(): Promise<number> {
  const best = await db().auditVerification.aggregate({
    where: { ok: true },
    _max: { checked: true },
  });
  return best._max.checked ?? 0;
}
