/**
 * Refusals and failures of interventions and seats a supervisor may see. Messages:
 * `interventions.errors.<code>` in lib/i18n/messages/{en,zh-CN}/interventions.json; some take
 * values ({name}, {stage}, {code}, {msg}).
 */
export const INTERVENTION_ERROR_CODES = [
  "no_cti_agent",
  "seat_not_linked",
  "seat_in_use",
  "seat_wrong_password",
  "seat_checkin_refused",
  "seat_cti_down",
  "seat_not_ready",
  "unknown_agent",
  "target_not_in_call",
  "target_left_call",
  "intervention_in_progress",
  "reason_required",
  "cti_timeout",
  "cti_down",
  "cti_refused",
  "audit_failed",
  "seat_node_gone",
  "seat_node_timeout",
  "shared_state_down",
] as const;
export type TInterventionErrorCode = (typeof INTERVENTION_ERROR_CODES)[number];

export function interventionStatusForCode(code: TInterventionErrorCode): number {
  switch (code) {
    case "no_cti_agent":
    case "seat_not_linked":
    case "seat_not_ready":
    case "reason_required":
    case "target_not_in_call":
    case "target_left_call":
      return 409;
    case "seat_in_use":
    case "intervention_in_progress":
      return 409;
    case "seat_wrong_password":
      return 401;
    case "unknown_agent":
      return 404;
    case "seat_checkin_refused":
    case "cti_refused":
      return 422;
    case "seat_node_gone":
      return 409;
    case "seat_cti_down":
    case "cti_down":
    case "shared_state_down":
      return 503;
    case "cti_timeout":
    case "seat_node_timeout":
      return 504;
    case "audit_failed":
      return 500;
  }
}
