/**
 * Refusals of the live floor a user may see. Messages: `floor.errors.<code>` in
 * lib/i18n/messages/{en,zh-CN}/floor.json.
 */
export const FLOOR_ERROR_CODES = ["unknown_company", "floor_unavailable"] as const;
export type TFloorErrorCode = (typeof FLOOR_ERROR_CODES)[number];

export function floorStatusForCode(code: TFloorErrorCode): number {
  switch (code) {
    case "unknown_company":
      return 404;
    case "floor_unavailable":
      return 503;
  }
}
