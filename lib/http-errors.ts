/**
 * Refusals made before a request reaches a page, route or action (body caps, content types,
 * cross-site action posts). Messages: `common.errors.<code>` in both catalogs.
 */
export const HTTP_ERROR_CODES = [
  "payload_too_large",
  "length_required",
  "unsupported_media_type",
  "bad_origin",
] as const;
export type THttpErrorCode = (typeof HTTP_ERROR_CODES)[number];

export function httpStatusForCode(code: THttpErrorCode): number {
  switch (code) {
    case "payload_too_large":
      return 413;
    case "length_required":
      return 411;
    case "unsupported_media_type":
      return 415;
    case "bad_origin":
      return 403;
  }
}
