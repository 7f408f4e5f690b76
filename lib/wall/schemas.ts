import { z } from "zod";
import { formValueToNumber, ZCompanyCode } from "@/lib/auth/schemas";
import { ZWallThresholds } from "./types";

/**
 * Inputs of the wall's admin form and of the wall API's query, shared by the form and the server.
 * Field messages are keys under `auth.fields.*` (lib/auth/schemas.ts fieldIssues).
 */

/**
 * A company's thresholds as the admin form sends them: each field a number or its text, then the
 * contract's ZWallThresholds (bounds, red after amber). Unknown fields are dropped.
 */
export const ZUpdateWallThresholdsInput = z.object({
  companyCode: ZCompanyCode,
  thresholds: z.preprocess((value) => {
    if (typeof value !== "object" || value === null) return value;
    const fields = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(ZWallThresholds.shape).map(
        (name) => [name, formValueToNumber(fields[name])] as const,
      ),
    );
  }, ZWallThresholds),
});
export type TUpdateWallThresholdsInput = z.infer<typeof ZUpdateWallThresholdsInput>;

export const HISTORY_HOURS_DEFAULT = 8;
export const HISTORY_HOURS_MAX = 24;

/** `?hours=N` of `GET /api/wall/<company>/history`: 1..24, default 8; a repeated param is refused. */
export const ZWallHistoryQuery = z.object({
  hours: z
    .string()
    .regex(/^\d{1,3}$/, { error: "invalid" })
    .transform(Number)
    .pipe(z.number().int().min(1).max(HISTORY_HOURS_MAX))
    .default(HISTORY_HOURS_DEFAULT),
});
export type TWallHistoryQuery = z.infer<typeof ZWallHistoryQuery>;
