import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import next from "next";
import { Server as SocketServer } from "socket.io";
import { ConfigError, loadConfig } from "./config";
import { logger } from "./log";
import { ensureBuilt, migrateDatabase } from "./build";
import { startEmbeddedCti, type EmbeddedCti } from "./embedded-cti";
import { FloorHub, FLOOR_HUB_KEY } from "./floor/hub";
import { createGateway, type TFloorServer } from "./realtime/gateway";
import { handleMetrics } from "./realtime/metrics-handler";
import { SOCKET_SERVER_KEY } from "./realtime/evict";
import { canAccessCompany } from "@/lib/auth/viewer";
import { provide } from "./registry";
import { CTI_LINK_KEY } from "./health";
import { setProcessInfo } from "./process-info";
import { configureDatabase, db } from "./db";
import { loadAuthConfig } from "./auth/config";
import { seedAccounts } from "./auth/seed";
import { stampClientIp } from "./auth/request-meta";
import { socketAuth } from "./auth/socket-auth";

const log = logger();

async function main(): Promise<void> {
  const config = loadConfig();
  const authConfig = loadAuthConfig();
  const dev = config.NODE_ENV === "development";
  if (!dev && !config.SKIP_BUILD) await ensureBuilt(log);
  await migrateDatabase(log);
  await configureDatabase();

  let embedded: EmbeddedCti | undefined;
  if (config.embeddedSimulator) {
    embedded = await startEmbeddedCti(
      {
        ...process.env,
        SIM_PORT: String(config.SIM_PORT),
        SIM_HOST: config.SIM_HOST,
        SIM_CONTROL_PORT: String(config.SIM_CONTROL_PORT),
        SIM_COMPANIES: config.SIM_COMPANIES,
      },
      log,
    );
  }
  const ctiUrl = embedded ? `ws://127.0.0.1:${embedded.port}` : config.ctiUrl;
  const version = (JSON.parse(readFileSync("package.json", "utf8")) as { version: string }).version;
  setProcessInfo({
    startedAt: Date.now(),
    version,
    mode: embedded ? "embedded-simulator" : "external-cti",
  });

  // With the embedded simulator, watch exactly the companies it reports (no configuration needed).
  const companies = embedded
    ? embedded.companies.map((companyCode) => ({
        companyCode,
        monitorAgentId: `${companyCode}_monitor`,
      }))
    : config.companies;
  const hub = new FloorHub({
    ctiUrl,
    ctiHttpUrl: embedded ? ctiUrl.replace(/^ws/, "http") : config.ctiHttpUrl,
    companies,
    pollIntervalMs: config.POLL_INTERVAL_MS,
    maxInFlight: config.MAX_IN_FLIGHT,
    rosterRefreshMs: config.ROSTER_REFRESH_MS,
    requestTimeoutMs: config.CTI_REQUEST_TIMEOUT_MS,
    batchMs: config.FLOOR_BATCH_MS,
    log,
  });
  await seedAccounts({
    companies: companies.map((c) => c.companyCode),
    embeddedSimulator: Boolean(embedded),
    log,
  });
  provide(CTI_LINK_KEY, hub.link);
  provide(FLOOR_HUB_KEY, hub);
  hub.start();

  const app = next({ dev, dir: process.cwd(), hostname: config.HOST, port: config.PORT });
  const handle = app.getRequestHandler();
  await app.prepare();

  const server = createServer((req, res) => {
    if (handleMetrics(req, res, config.METRICS_TOKEN)) return;
    stampClientIp(req);
    void handle(req, res);
  });
  const io = new SocketServer(server, { transports: ["websocket"], serveClient: false });
  provide(SOCKET_SERVER_KEY, io);
  io.use(socketAuth(authConfig.allowedOrigins));
  const gateway = createGateway(io as unknown as TFloorServer, {
    feed: hub,
    viewerOf: (socket) => socket.data.viewer,
    authorizeCompany: canAccessCompany,
    log,
  });
  hub.socketCount = gateway.sockets;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.PORT, config.HOST, resolve);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  log.info(
    { port, cti: ctiUrl, companies: config.companies.map((c) => c.companyCode) },
    "floorwatch listening",
  );
  process.stdout.write(
    `\n  Floorwatch is running: open ${config.PUBLIC_URL ?? `http://localhost:${port}`}\n\n`,
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    io.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    gateway.close();
    await hub.stop();
    await embedded?.stop();
    await db().$disconnect();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    log.fatal({ err: error }, "floorwatch failed to start");
  }
  process.exit(1);
});
