import "server-only";
import { isIP } from "node:net";
import { z } from "zod";
import { ConfigError, loadConfig } from "../config";

const zInt = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** `10.0.0.1`, `10.0.0.0/8`, `2001:db8::/32`: an address or a subnet with a valid prefix length. */
const ZProxyAddress = z.string().refine((entry) => {
  const [address = "", prefix, extra] = entry.split("/");
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}, "TRUSTED_PROXIES: comma-separated IP addresses or CIDRs (10.0.0.0/8)");

/** Accounts and sessions: environment variables, validated at start-up like server/config.ts. */
const ZAuthEnv = z
  .object({
    /** Signs the session cookie. Unset: a random secret is generated once and kept in the database. */
    AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters").optional(),
    /** The first admin's password (used only when no admin exists). Unset: generated and printed once. */
    ADMIN_PASSWORD: z
      .string()
      .min(10, "ADMIN_PASSWORD must be at least 10 characters")
      .max(128)
      .optional(),
    ADMIN_USERNAME: z
      .string()
      .regex(/^[a-zA-Z0-9_.]{3,32}$/, "ADMIN_USERNAME: 3-32 letters, digits, _ or .")
      .default("admin"),
    /** Password of the demo accounts seeded with the embedded simulator (demo only). */
    DEMO_PASSWORD: z.string().min(10).max(128).default("floorwatch-demo"),
    /** A signed-in user's session lasts this long, then they sign in again. */
    SESSION_TTL_HOURS: zInt(1, 24 * 30).default(12),
    /** A wall display's session lasts this long (never past its token's expiry). */
    DISPLAY_SESSION_TTL_DAYS: zInt(1, 365).default(30),
    /** Failed sign-ins on one account from one address that lock that address out of it, and for how long. */
    AUTH_MAX_FAILED_LOGINS: zInt(1, 100).default(5),
    AUTH_LOCKOUT_MINUTES: zInt(1, 24 * 60).default(15),
    /** Failed sign-ins on one account from addresses it never signed in from, per lockout window. */
    AUTH_ACCOUNT_MAX_FAILURES: zInt(1, 10_000).default(20),
    /** Failed sign-ins (any account) one IP address may make per window before it is refused. */
    AUTH_IP_MAX_FAILURES: zInt(1, 10_000).default(30),
    AUTH_IP_WINDOW_MINUTES: zInt(1, 24 * 60).default(15),
    /**
     * How many reverse proxies stand in front (each appends the address it saw to
     * X-Forwarded-For): the client is that many entries from the right. 0: the socket's address.
     * "true"/"false" are the old spelling of 1/0.
     */
    TRUST_PROXY: z
      .string()
      .default("0")
      .transform((v) => (v === "true" ? "1" : v === "false" ? "0" : v))
      .pipe(z.string().regex(/^(10|\d)$/, "TRUST_PROXY: the number of proxies in front, 0-10"))
      .transform(Number),
    /** Or: the proxies' own addresses or CIDRs, comma-separated; skipped from the right. */
    TRUSTED_PROXIES: z
      .string()
      .default("")
      .transform((v) =>
        v
          .split(",")
          .map((entry) => entry.trim())
          .filter((entry) => entry !== ""),
      )
      .pipe(z.array(ZProxyAddress)),
    /** More origins allowed to open the socket and post to the auth routes, comma-separated. */
    ALLOWED_ORIGINS: z.string().default(""),
  })
  .refine((env) => env.TRUST_PROXY === 0 || env.TRUSTED_PROXIES.length === 0, {
    message: "set TRUST_PROXY (a count of proxies) or TRUSTED_PROXIES (their addresses), not both",
    path: ["TRUSTED_PROXIES"],
  });

export type TAuthConfig = z.infer<typeof ZAuthEnv> & { allowedOrigins: string[] };

export function loadAuthConfig(env: NodeJS.ProcessEnv = process.env): TAuthConfig {
  const parsed = ZAuthEnv.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`),
    );
  }
  const base = loadConfig(env);
  const port = base.PORT;
  const origins = new Set([
    new URL(base.publicUrl).origin,
    `http://localhost:${port}`,
    `http://127.0.0.1:${port}`,
    ...parsed.data.ALLOWED_ORIGINS.split(",")
      .map((o) => o.trim())
      .filter((o) => o !== ""),
  ]);
  return { ...parsed.data, allowedOrigins: [...origins] };
}

let cached: TAuthConfig | undefined;

/** The validated config of this process (env does not change while it runs). */
export function authConfig(): TAuthConfig {
  cached ??= loadAuthConfig();
  return cached;
}
