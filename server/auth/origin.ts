import "server-only";
/**
 * Cross-site request check for cookie-authenticated requests (socket handshake, POST routes):
 * the Origin must be one of the configured origins or the origin of the Host it was sent to.
 * A missing Origin is refused: browsers always send it on these requests.
 */
export function originAllowed(
  origin: string | null | undefined,
  host: string | null | undefined,
  allowed: readonly string[],
): boolean {
  if (!origin) return false;
  if (allowed.includes(origin)) return true;
  if (!host) return false;
  try {
    const url = new URL(origin);
    return (url.protocol === "http:" || url.protocol === "https:") && url.host === host;
  } catch {
    return false;
  }
}
