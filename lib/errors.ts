import { z } from "zod";
import { AUTH_ERROR_CODES, statusForAuthCode, type TAuthErrorCode } from "@/lib/auth/errors";
import { FLOOR_ERROR_CODES, floorStatusForCode, type TFloorErrorCode } from "@/lib/floor/errors";
import { HTTP_ERROR_CODES, httpStatusForCode, type THttpErrorCode } from "@/lib/http-errors";
import {
  INTERVENTION_ERROR_CODES,
  interventionStatusForCode,
  type TInterventionErrorCode,
} from "@/lib/interventions/errors";

/**
 * Every error code a user may see, registered per feature in this one place. A code's message is
 * `<feature>.errors.<code>` in both catalogs (lib/i18n/messages/{en,zh-CN}/<feature>.json);
 * tests/unit/foundation/errors.test.ts checks that each has one and that no code is registered
 * twice. A new feature adds its list and its HTTP statuses here.
 */
export const ERROR_FEATURES = {
  common: { codes: HTTP_ERROR_CODES, status: httpStatusForCode },
  auth: { codes: AUTH_ERROR_CODES, status: statusForAuthCode },
  floor: { codes: FLOOR_ERROR_CODES, status: floorStatusForCode },
  interventions: { codes: INTERVENTION_ERROR_CODES, status: interventionStatusForCode },
} as const;

export type TErrorFeature = keyof typeof ERROR_FEATURES;
export type TErrorCode = THttpErrorCode | TAuthErrorCode | TFloorErrorCode | TInterventionErrorCode;

const FEATURE_OF = new Map<string, TErrorFeature>(
  Object.entries(ERROR_FEATURES).flatMap(([feature, { codes }]) =>
    codes.map((code) => [code, feature as TErrorFeature] as const),
  ),
);

export const ZErrorCode = z.custom<TErrorCode>(
  (value) => typeof value === "string" && FEATURE_OF.has(value),
  { message: "unknown error code" },
);

export function featureOf(code: TErrorCode): TErrorFeature {
  const feature = FEATURE_OF.get(code);
  if (!feature) throw new Error(`unregistered error code ${code}`);
  return feature;
}

/** The HTTP status a route handler answers with for a code. */
export function statusForCode(code: TErrorCode): number {
  switch (featureOf(code)) {
    case "common":
      return httpStatusForCode(code as THttpErrorCode);
    case "auth":
      return statusForAuthCode(code as TAuthErrorCode);
    case "floor":
      return floorStatusForCode(code as TFloorErrorCode);
    case "interventions":
      return interventionStatusForCode(code as TInterventionErrorCode);
  }
}

/** What every action and guarded route returns for an expected failure; never thrown. */
export interface TActionFailure {
  ok: false;
  code: TErrorCode;
  message: string;
  /** Per-field messages for form inputs that failed validation. */
  fieldErrors?: Record<string, string>;
}
export type TActionResult<T> = { ok: true; data: T } | TActionFailure;
