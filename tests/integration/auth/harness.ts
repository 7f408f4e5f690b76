import { migratedTempDatabase } from "../helpers/database";

/**
 * A fresh, migrated SQLite database and the auth environment for one test file. Call before
 * importing any server module (they read the environment when first used).
 */
export function prepareAuthEnvironment(extra: Record<string, string> = {}): string {
  const url = migratedTempDatabase("fw-auth-");
  Object.assign(process.env, {
    DATABASE_URL: url,
    AUTH_SECRET: "integration-test-secret-0123456789abcdef",
    PORT: "3399",
    LOG_LEVEL: "silent",
    AUTH_MAX_FAILED_LOGINS: "3",
    AUTH_LOCKOUT_MINUTES: "15",
    AUTH_IP_MAX_FAILURES: "1000",
    ...extra,
  });
  return url;
}

/** The request Next.js would see: headers with cookies, Origin and the stamped client IP. */
export interface TFakeRequest {
  cookie: string;
  ip: string;
  locale?: string;
}

export function requestHeaders(req: TFakeRequest, extra: Record<string, string> = {}): Headers {
  const headers = new Headers({
    host: "127.0.0.1:3399",
    origin: "http://127.0.0.1:3399",
    "user-agent": "vitest",
    "x-floorwatch-client-ip": req.ip,
    "accept-language": req.locale ?? "en",
    ...extra,
  });
  if (req.cookie) headers.set("cookie", req.cookie);
  return headers;
}

/** `name=value` pairs of Set-Cookie headers, as a Cookie header. */
export function cookieHeader(setCookies: readonly string[]): string {
  return setCookies
    .map((c) => c.split(";")[0] ?? "")
    .filter((pair) => !pair.endsWith("="))
    .join("; ");
}
