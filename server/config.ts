import "server-only";
import { z } from "zod";
import { DEFAULT_DATABASE_URL } from "./db-url";
import { defaultNodeId } from "./node-id";

/** Parses `"1"/"true"/"yes"/"on"` and their opposites; anything else is a validation error. */
const zBool = z
  .enum(["1", "0", "true", "false", "yes", "no", "on", "off"])
  .transform((v) => ["1", "true", "yes", "on"].includes(v));

const zPort = z.coerce.number().int().min(0).max(65535);

const ZEnv = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  /** Dashboard listen address and port. */
  HOST: z.string().min(1).default("0.0.0.0"),
  PORT: zPort.default(3000),
  /** Public URL the browsers use (Origin checks, printed links). Derived from PORT when unset. */
  PUBLIC_URL: z.url().optional(),
  /** A real CTI, e.g. `ws://10.0.0.5:25001`. Unset: the embedded simulator is started. */
  CTI_URL: z
    .string()
    .regex(/^wss?:\/\/[^/]+\/?$/, "CTI_URL must look like ws://host:port")
    .optional(),
  /**
   * Companies to watch: `90001,90002` or with the monitor channel's agent id `90001:90001_9000`.
   * Defaults to the simulator's companies (SIM_COMPANIES) when the simulator is embedded.
   */
  CTI_COMPANIES: z
    .string()
    .regex(
      /^\s*[\w-]+(:[\w-]+)?(\s*,\s*[\w-]+(:[\w-]+)?)*\s*$/,
      "CTI_COMPANIES must look like 90001,90002 or 90001:90001_monitor",
    )
    .optional(),
  /** The simulator's companies; read here only to watch them when the simulator is embedded. */
  SIM_COMPANIES: z.string().default("90001,90002"),
  /** HTTP base of the CTI's openapi (roster). Derived from CTI_URL when unset. */
  CTI_HTTP_URL: z.url().optional(),
  /** Request timeout on the CTI channel (protocol.md §2: 10 s). */
  CTI_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** Live floor: each agent's get_status is polled once per interval, spread evenly. */
  POLL_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(2000),
  /** Cap on get_status requests awaiting an answer, per company. */
  MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(10_000).default(200),
  /** How often the roster (get-agent-list) is fetched again. */
  ROSTER_REFRESH_MS: z.coerce.number().int().min(1000).max(86_400_000).default(60_000),
  /** Delta coalescing window before one batch goes to a company's room (50-100 ms). */
  FLOOR_BATCH_MS: z.coerce.number().int().min(10).max(1000).default(50),
  /** An acknowledged intervention not seen on the floor within this is UNCONFIRMED. */
  INTERVENTION_CONFIRM_MS: z.coerce.number().int().min(1000).max(300_000).default(15_000),
  /** How long a repeated idempotency key returns the first attempt's result. */
  IDEMPOTENCY_TTL_MS: z.coerce
    .number()
    .int()
    .min(60_000)
    .max(7 * 86_400_000)
    .default(86_400_000),
  /** The wall's per-minute floor history is kept this many days, then pruned (hourly). */
  WALL_HISTORY_DAYS: z.coerce.number().int().min(1).max(366).default(7),
  /** When set, `GET /metrics` on the main port, with `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN: z.string().min(16, "METRICS_TOKEN must be at least 16 characters").optional(),
  /** When set, `GET /metrics` without a token on its own listener (METRICS_HOST:METRICS_PORT). */
  METRICS_PORT: zPort.optional(),
  METRICS_HOST: z.string().min(1).default("127.0.0.1"),
  /** No request body (route handler, server action) may be larger; larger ones get 413. */
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(10 * 1024 * 1024)
    .default(64 * 1024),
  /** SQLite file (`file:`, the default) or PostgreSQL (`postgres://`, for several nodes). */
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, "must be a SQLite file: URL or a postgres:// URL")
    .default(DEFAULT_DATABASE_URL),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Embedded simulator settings, used only when CTI_URL is unset. */
  SIM_PORT: zPort.default(25001),
  SIM_HOST: z.string().min(1).default("127.0.0.1"),
  SIM_CONTROL_PORT: zPort.default(25002),
  /** Several nodes: a company's leader holds its lease this long without renewing it. */
  LEASE_MS: z.coerce.number().int().min(500).max(60_000).default(5000),
  /** Starts the dashboard even if `.next` is missing or stale, without building (tests that build once). */
  SKIP_BUILD: zBool.default(false),
  /**
   * Several nodes: the Redis they share (`redis://[:password@]host:6379[/db]`, `rediss://` for
   * TLS). Unset: one node, its shared state in memory. Never logged with its password.
   */
  REDIS_URL: z
    .string()
    .max(2048)
    .refine(isRedisUrl, "REDIS_URL must look like redis://[:password@]host:port[/db]")
    .optional(),
  /** Put before every Redis key and channel of this installation (several may share a Redis). */
  REDIS_PREFIX: z
    .string()
    .regex(/^[\w:.-]{1,64}$/, "REDIS_PREFIX: 1-64 letters, digits, _ : . or -")
    .default("floorwatch:"),
  /** This node's name in logs and in Redis; unique per running process. Default: host-pid-random. */
  NODE_ID: z
    .string()
    .regex(/^[\w.-]{1,64}$/, "NODE_ID: 1-64 letters, digits, _ . or -")
    .optional(),
});

function isRedisUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "redis:" || url.protocol === "rediss:") && url.hostname !== "";
  } catch {
    return false;
  }
}

export type TConfig = z.infer<typeof ZEnv> & {
  ctiUrl: string;
  ctiHttpUrl: string;
  embeddedSimulator: boolean;
  publicUrl: string;
  companies: { companyCode: string; monitorAgentId: string }[];
  nodeId: string;
};

function parseCompanies(list: string): { companyCode: string; monitorAgentId: string }[] {
  return list
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "")
    .map((item) => {
      const [companyCode = "", monitorAgentId] = item.split(":");
      return { companyCode, monitorAgentId: monitorAgentId ?? `${companyCode}_monitor` };
    });
}

export class ConfigError extends Error {
  constructor(public readonly issues: string[]) {
    super(`Invalid configuration:\n  ${issues.join("\n  ")}`);
  }
}

/** Validates the environment once at start-up; throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): TConfig {
  const parsed = ZEnv.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`),
    );
  }
  const cfg = parsed.data;
  const embeddedSimulator = cfg.CTI_URL === undefined;
  const ctiUrl = (cfg.CTI_URL ?? `ws://127.0.0.1:${cfg.SIM_PORT}`).replace(/\/+$/, "");
  const ctiHttpUrl = (cfg.CTI_HTTP_URL ?? ctiUrl.replace(/^ws/, "http")).replace(/\/+$/, "");
  const publicUrl = cfg.PUBLIC_URL ?? `http://localhost:${cfg.PORT}`;
  if (!embeddedSimulator && cfg.CTI_COMPANIES === undefined) {
    throw new ConfigError(["CTI_COMPANIES: required with CTI_URL (which companies to watch)"]);
  }
  const companies = parseCompanies(cfg.CTI_COMPANIES ?? cfg.SIM_COMPANIES);
  const nodeId = cfg.NODE_ID ?? defaultNodeId();
  return { ...cfg, ctiUrl, ctiHttpUrl, embeddedSimulator, publicUrl, companies, nodeId };
}
