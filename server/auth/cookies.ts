import "server-only";
import { DISPLAY_COOKIE } from "@/lib/auth/http";
import { loadConfig } from "../config";

export { DISPLAY_COOKIE };

/** The value of cookie `name` in a `Cookie` header. */
export function readCookie(header: string | null | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(raw);
    } catch {
      return raw;
    }
  }
  return undefined;
}

/** Cookies are Secure when the dashboard is served over https. */
export function secureCookies(): boolean {
  return new URL(loadConfig().publicUrl).protocol === "https:";
}

/** A `Set-Cookie` value for the display session (empty value and maxAge 0 clear it). */
export function displayCookieHeader(value: string, maxAgeSeconds: number): string {
  const parts = [
    `${DISPLAY_COOKIE}=${encodeURIComponent(value)}`,
    "Path=/",
    `Max-Age=${maxAgeSeconds}`,
    "HttpOnly",
    "SameSite=Lax",
  ];
  if (secureCookies()) parts.push("Secure");
  return parts.join("; ");
}
