/** Names shared by proxy.ts and server/auth: cookies and the request header the proxy adds. */
export const COOKIE_PREFIX = "floorwatch";
/** better-auth's session cookie (`__Secure-` in front when served over https). */
export const SESSION_COOKIE = `${COOKIE_PREFIX}.session_token`;
/** A wall display's session cookie; its value is the display session's secret. */
export const DISPLAY_COOKIE = `${COOKIE_PREFIX}.display`;
/** The path being rendered, set by proxy.ts, so a page can send an anonymous visitor back after sign-in. */
export const PATH_HEADER = "x-floorwatch-path";
