import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import pino from "pino";
import type { Socket } from "socket.io";
import { ZViewer } from "@/lib/auth/viewer";
import { createApp, type TApp, type TAppDeps } from "@/server/app";
import { loadAuthConfig } from "@/server/auth/config";
import { loadConfig } from "@/server/config";
import { migratedTempDatabase } from "./database";

export interface TTestApp extends TApp {
  url: string;
  port: number;
  metricsPort?: number;
}

/**
 * Test sockets carry their viewer in the handshake: the floor tests exercise the floor and the
 * gateway, not sign-in (tests/integration/auth covers the real socket authentication).
 */
export function viewerFromHandshake(socket: Socket, next: (err?: Error) => void): void {
  const parsed = ZViewer.safeParse(socket.handshake.auth.viewer);
  if (parsed.success) socket.data.viewer = parsed.data;
  next();
}

const CLUSTER_SETTINGS = new Set(["REDIS_URL", "REDIS_PREFIX", "NODE_ID"]);

/**
 * The application as server/index.ts assembles it (createApp), on an ephemeral port, against a
 * CTI at `ctiPort`, with a temporary migrated database unless DATABASE_URL is already set. `env`
 * overrides settings (poll interval, timeouts, ...) exactly as the environment would.
 */
export async function startTestApp(options: {
  ctiPort: number;
  companies: string[];
  env?: Record<string, string>;
  deps?: Partial<
    Pick<
      TAppDeps,
      "authenticateSocket" | "loadRoster" | "seedAccounts" | "web" | "log" | "seatDirectoryTtlMs"
    >
  >;
}): Promise<TTestApp> {
  process.env.DATABASE_URL ??= migratedTempDatabase("fw-app-");
  // One node in memory unless a test asks for Redis: a REDIS_URL in the developer's shell must
  // not put every test's keys into that Redis under the default prefix.
  const inherited: NodeJS.ProcessEnv = { ...process.env };
  for (const name of CLUSTER_SETTINGS) delete inherited[name];
  const env = {
    ...inherited,
    PORT: "0",
    HOST: "127.0.0.1",
    PUBLIC_URL: "http://127.0.0.1",
    POLL_INTERVAL_MS: "500",
    MAX_IN_FLIGHT: "100",
    CTI_REQUEST_TIMEOUT_MS: "2000",
    AUTH_SECRET: process.env.AUTH_SECRET ?? "integration-test-secret-0123456789abcdef",
    ...options.env,
  };
  const ctiUrl = `ws://127.0.0.1:${options.ctiPort}`;
  const app = createApp({
    config: loadConfig(env),
    authConfig: loadAuthConfig(env),
    log: pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }),
    cti: {
      url: ctiUrl,
      httpUrl: `http://127.0.0.1:${options.ctiPort}`,
      companies: options.companies.map((companyCode) => ({
        companyCode,
        monitorAgentId: `${companyCode}_monitor`,
      })),
    },
    process: { version: "test", mode: "external-cti" },
    seedAccounts: false,
    authenticateSocket: viewerFromHandshake,
    ...options.deps,
  });
  const { port, metricsPort } = await app.start();
  return {
    ...app,
    port,
    url: `http://127.0.0.1:${port}`,
    ...(metricsPort === undefined ? {} : { metricsPort }),
  };
}

/** A loopback port nothing listens on (a CTI that is down). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
