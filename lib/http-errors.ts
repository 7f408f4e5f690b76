/**
 * Refusals made before a request reaches a page, route or action (body caps, content types).
 * Messages: `common.errors.<code>` in both catalogs. A cross-site request (action, route or
 * socket) is auth's `origin_refused` wherever it is caught.
 */
export const HTTP_ERROR_CODES = [
  "payload_too_large",
  "length_required",
  "unsupported_media_type",
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
  }
}
