import "server-only";
import type { PrismaClient } from "@/generated/prisma/client";
import { AUDIT_TIME_ZONE, zonedParts, zonedToDate } from "@/lib/audit/filters";

/** Midnight of the day `now` falls in, on the pages' clock (Asia/Shanghai). */
export function startOfDay(now: number, timeZone: string = AUDIT_TIME_ZONE): Date {
  const { year, month, day } = zonedParts(new Date(now), timeZone);
  const two = (n: number | undefined) => String(n ?? 0).padStart(2, "0");
  const midnight = zonedToDate(`${year}-${two(month)}-${two(day)}T00:00`, timeZone);
  if (!midnight) throw new Error(`no midnight for ${year}-${month}-${day} in ${timeZone}`);
  return midnight;
}

/** Interventions requested in the company since the start of today (Asia/Shanghai). */
export function interventionsToday(
  db: PrismaClient,
  companyCode: string,
  now: number,
): Promise<number> {
  return db.intervention.count({
    where: { companyCode, requestedAt: { gte: startOfDay(now) } },
  });
}
