import "server-only";
import type { PrismaClient } from "@/generated/prisma/client";
import { DEFAULT_WALL_THRESHOLDS, ZWallThresholds, type TWallThresholds } from "@/lib/wall/types";

export function thresholdsKey(companyCode: string): string {
  return `wall:${companyCode}`;
}

/** A company's wall thresholds (validated on read; the defaults when unset or unreadable). */
export async function wallThresholds(
  db: PrismaClient,
  companyCode: string,
): Promise<TWallThresholds> {
  const row = await db.setting.findUnique({ where: { key: thresholdsKey(companyCode) } });
  if (!row) return DEFAULT_WALL_THRESHOLDS;
  try {
    const parsed = ZWallThresholds.safeParse(JSON.parse(row.value));
    return parsed.success ? parsed.data : DEFAULT_WALL_THRESHOLDS;
  } catch {
    return DEFAULT_WALL_THRESHOLDS;
  }
}
