import "server-only";
import pg from "pg";
import type { TDatabaseHealth } from "@/lib/health";
import { postgresConfig } from "./postgres";

/** How often and how patiently PostgreSQL's reachability is checked. */
const PROBE_INTERVAL_MS = 5_000;
const PROBE_TIMEOUT_MS = 3_000;

/**
 * Whether PostgreSQL is reachable, for /api/health and /status: every few seconds a new
 * connection runs `SELECT 1`. A connection of its own, not one of the pool's: a pool busy with
 * slow queries is not an unreachable server, and a reachable server must accept new connections
 * (other nodes, restarts). The reason is pg's message (host and port, never the password).
 */
export class DatabaseProbe {
  private current: TDatabaseHealth | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly url: string,
    private readonly options: { intervalMs?: number; timeoutMs?: number } = {},
  ) {}

  /** Probes once (the first report is ready when this resolves), then every interval. */
  async start(): Promise<void> {
    await this.probe();
    this.timer = setInterval(() => void this.probe(), this.options.intervalMs ?? PROBE_INTERVAL_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  status(): TDatabaseHealth | undefined {
    return this.current;
  }

  /** One check; a check still running when the next is due is not doubled. */
  probe(): Promise<void> {
    this.running ??= this.check().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async check(): Promise<void> {
    const timeoutMs = this.options.timeoutMs ?? PROBE_TIMEOUT_MS;
    const client = new pg.Client({
      ...postgresConfig(this.url, "floorwatch-probe"),
      connectionTimeoutMillis: timeoutMs,
      query_timeout: timeoutMs,
    });
    // A connection dropped after the check must not become an unhandled 'error' event.
    client.on("error", () => undefined);
    const started = performance.now();
    try {
      await client.connect();
      await client.query("SELECT 1");
      this.report({ state: "up", latencyMs: Math.round(performance.now() - started) });
    } catch (error) {
      this.report({
        state: "down",
        reason: error instanceof Error ? error.message : String(error),
      });
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  private report(result: { state: "up" | "down"; latencyMs?: number; reason?: string }): void {
    const now = Date.now();
    const since = this.current?.state === result.state ? this.current.since : now;
    this.current = { dialect: "postgresql", ...result, since, checkedAt: now };
  }
}
