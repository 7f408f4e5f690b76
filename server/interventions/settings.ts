import "server-only";
import type { PrismaClient } from "@/generated/prisma/client";
import { ZInterventionSettings, type TInterventionSettings } from "@/lib/interventions/types";

const DEFAULTS: TInterventionSettings = { reasonRequired: false };

export function settingsKey(companyCode: string): string {
  return `interventions:${companyCode}`;
}

/** A company's intervention settings (validated on read; defaults when unset or unreadable). */
export async function interventionSettings(
  db: PrismaClient,
  companyCode: string,
): Promise<TInterventionSettings> {
  const row = await db.setting.findUnique({ where: { key: settingsKey(companyCode) } });
  if (!row) return DEFAULTS;
  try {
    const parsed = ZInterventionSettings.safeParse(JSON.parse(row.value));
    return parsed.success ? parsed.data : DEFAULTS;
  } catch {
    return DEFAULTS;
  }
}
