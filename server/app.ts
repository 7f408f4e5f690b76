import "server-only";
import {
  createServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { Server as SocketServer, type Socket } from "socket.io";
import { createAdapter } from "@socket.io/redis-streams-adapter";
import { canAccessCompany } from "@/lib/auth/viewer";
import type { TLinkState } from "@/lib/link-state";
import type { TConfig } from "./config";
import { loadAuthConfig, type TAuthConfig } from "./auth/config";
import { stampClientIp } from "./auth/request-meta";
import { startAuthHousekeeping } from "./auth/housekeeping";
import { seedAccounts } from "./auth/seed";
import { socketAuth } from "./auth/socket-auth";
import { Cluster } from "./cluster/cluster";
import { CtiLink, type WatchedCompany } from "./cti/link";
import type { TRoster } from "./cti/roster";
import { configureDatabase, db, dialect } from "./db";
import { databaseUrl } from "./db-url";
import { DatabaseProbe } from "./database/probe";
import { Floor } from "./floor/floor";
import { logger } from "./log";
import { metrics, quantile } from "./metrics";
import { createGateway, type TFloorServer } from "./realtime/gateway";
import { applySecurityHeaders, refuseRequest } from "./http/guard";
import { handleMetrics } from "./http/metrics";
import { Interventions } from "./interventions";
import { RedisConnection } from "./redis/connection";
import { installServices, uninstallServices, type TProcessInfo, type TServices } from "./services";
import { createMemoryNodeState, createRedisNodeState, type TNodeState } from "./state/node-state";
import { Wall } from "./wall";

export interface TAppDeps {
  config: TConfig;
  authConfig?: TAuthConfig;
  log?: Logger;
  /** The CTI to watch: a real one, or the embedded simulator started by the caller. */
  cti: { url: string; httpUrl: string; companies: WatchedCompany[] };
  process: Omit<TProcessInfo, "startedAt">;
  /** Serves every HTTP request that is not /metrics (Next.js); absent: 404 (tests, benches). */
  web?: (req: IncomingMessage, res: ServerResponse) => void;
  /** Socket.IO handshake check; the session or display cookie by default. */
  authenticateSocket?: (socket: Socket, next: (err?: Error) => void) => void;
  /** Roster source; the CTI's get-agent-list by default. */
  loadRoster?: (companyCode: string) => Promise<TRoster>;
  /** Per-node state; in memory by default, in Redis with REDIS_URL. */
  state?: TNodeState;
  /**
   * With REDIS_URL: how long this node's seats stay in the seat directory after it stops
   * refreshing them (it died); 15 s by default. Tests shorten it.
   */
  seatDirectoryTtlMs?: number;
  /** Creates the first admin (and the demo accounts with the simulator); default true. */
  seedAccounts?: boolean;
}

export interface TApp {
  services: TServices;
  /** Opens the database, seeds accounts, connects to the CTI and listens; resolves with the ports. */
  start(): Promise<{ port: number; metricsPort?: number }>;
  stop(): Promise<void>;
}

/**
 * The one place the process is assembled: configuration, database, CTI layer, floor, realtime
 * gateway and auth, from injected dependencies. server/index.ts, the integration tests and the
 * benchmarks all run what this returns.
 */
export function createApp(deps: TAppDeps): TApp {
  const { config } = deps;
  const authConfig = deps.authConfig ?? loadAuthConfig();
  // The process logger names the node already; an injected one (tests) is told which it is.
  const log = deps.log ? deps.log.child({ node: config.nodeId }) : logger();
  const redis = config.REDIS_URL
    ? new RedisConnection({
        url: config.REDIS_URL,
        prefix: config.REDIS_PREFIX,
        nodeId: config.nodeId,
        log,
      })
    : undefined;
  const companies = deps.cti.companies.map((c) => c.companyCode);
  const startedAt = Date.now();

  const floor: Floor = new Floor({
    companies,
    pollIntervalMs: config.POLL_INTERVAL_MS,
    batchMs: config.FLOOR_BATCH_MS,
    // Read when a snapshot or heartbeat is made, after `cti` and `cluster` below exist.
    linkState: (companyCode): TLinkState | undefined =>
      cluster ? cluster.linkState(companyCode) : cti.linkState(companyCode),
    replicated: config.REDIS_URL !== undefined,
  });
  const cti: CtiLink = new CtiLink(
    {
      url: deps.cti.url,
      httpUrl: deps.cti.httpUrl,
      companies: deps.cti.companies,
      requestTimeoutMs: config.CTI_REQUEST_TIMEOUT_MS,
      pollIntervalMs: config.POLL_INTERVAL_MS,
      maxInFlight: config.MAX_IN_FLIGHT,
      rosterRefreshMs: config.ROSTER_REFRESH_MS,
      ...(deps.loadRoster ? { loadRoster: deps.loadRoster } : {}),
      log,
    },
    (companyCode) => {
      const store = floor.store(companyCode);
      if (!store) throw new Error(`no floor store for company ${companyCode}`);
      return store;
    },
  );
  cti.on("state", (companyCode) => floor.linkChanged(companyCode));

  const https = config.publicUrl.startsWith("https:");
  const guard = {
    maxBodyBytes: config.MAX_BODY_BYTES,
    allowedOrigins: authConfig.allowedOrigins,
    https,
  };
  const http = createServer((req, res) => {
    applySecurityHeaders(res, https);
    if (config.METRICS_TOKEN && handleMetrics(req, res, { token: config.METRICS_TOKEN })) return;
    if (refuseRequest(req, res, guard)) return;
    stampClientIp(req);
    if (deps.web) deps.web(req, res);
    else res.writeHead(404).end();
  });
  // Scrapers without a token: only on a listener of their own, on loopback unless configured.
  const metricsHttp =
    config.METRICS_PORT === undefined
      ? undefined
      : createServer((req, res) => {
          if (!handleMetrics(req, res, "open")) res.writeHead(404).end();
        });
  const io: TFloorServer = new SocketServer(http, {
    transports: ["websocket"],
    serveClient: false,
    // Browsers send only small events (floor:join); a larger message closes the socket.
    maxHttpBufferSize: SOCKET_MESSAGE_MAX_BYTES,
  });
  io.use(deps.authenticateSocket ?? socketAuth(authConfig.allowedOrigins));
  const gateway = createGateway(io, {
    feed: floor,
    viewerOf: (socket) => socket.data.viewer,
    authorizeCompany: canAccessCompany,
    log,
  });

  const state = deps.state ?? (redis ? createRedisNodeState(redis) : createMemoryNodeState());
  const database = db();
  // An intervention waits for at most one CTI answer on its seat, twice over for a relayed one.
  const relayTimeoutMs = 2 * config.CTI_REQUEST_TIMEOUT_MS + 5_000;
  // Several nodes share the floor through Redis (server/cluster); without REDIS_URL, one node.
  const cluster: Cluster | undefined = config.REDIS_URL
    ? new Cluster({
        redisUrl: config.REDIS_URL,
        prefix: config.REDIS_PREFIX,
        nodeId: config.nodeId,
        leaseMs: config.LEASE_MS,
        version: deps.process.version,
        startedAt,
        companies,
        floor,
        cti,
        log,
        openInterventionNodes: () => interventions.records.openNodes(),
        interruptNode: (nodeId) => interventions.interruptNode(nodeId),
      })
    : undefined;
  const interventions: Interventions = new Interventions({
    cti,
    floor,
    db: database,
    state,
    ...(redis
      ? {
          cluster: {
            redis,
            relayTimeoutMs,
            ...(deps.seatDirectoryTtlMs ? { directoryTtlMs: deps.seatDirectoryTtlMs } : {}),
          },
        }
      : {}),
    log,
    confirmMs: config.INTERVENTION_CONFIRM_MS,
    idempotencyTtlMs: config.IDEMPOTENCY_TTL_MS,
    idempotencyClaimMs: relayTimeoutMs + 5_000,
    publishIntervention: (view) => gateway.publishIntervention(view),
    publishSeat: (ownerId, seat) => gateway.publishSeat(ownerId, seat),
    nodeId: config.nodeId,
    shared: cluster !== undefined,
  });
  const wall = new Wall({
    db: database,
    floor,
    log,
    historyDays: config.WALL_HISTORY_DAYS,
    version: deps.process.version,
    publishThresholds: (companyCode, thresholds) =>
      gateway.publishWallThresholds(companyCode, thresholds),
  });
  const services: TServices = {
    config,
    authConfig,
    log,
    db: database,
    ...(dialect() === "postgresql" ? { databaseProbe: new DatabaseProbe(databaseUrl()) } : {}),
    process: { ...deps.process, startedAt },
    cti,
    floor,
    gateway,
    interventions,
    state,
    wall,
    ...(redis ? { redis } : {}),
    ...(cluster ? { cluster } : {}),
  };

  let stopHousekeeping: (() => Promise<void>) | undefined;

  return {
    services,
    async start() {
      log.info(
        { node: config.nodeId, sharedState: redis ? redis.where : "memory" },
        redis
          ? "node starting: state shared through Redis"
          : "node starting: one node, state in memory",
      );
      if (redis) {
        await redis.connect();
        io.adapter(broadcastAdapter(redis));
      }
      installServices(services);
      await configureDatabase(services.db);
      await services.databaseProbe?.start();
      if (deps.seedAccounts ?? true) {
        await seedAccounts({
          companies,
          embeddedSimulator: deps.process.mode === "embedded-simulator",
          log,
        });
      }
      stopHousekeeping = startAuthHousekeeping({ log });
      if (cluster) {
        metrics().register.setDefaultLabels({ node: config.nodeId });
        metrics().enableClusterGauges();
        await cluster.connect();
      }
      await interventions.start();
      if (cluster) await cluster.start();
      else cti.start();
      floor.start();
      wall.start();
      installMetricsSource(services);
      const port = await listen(http, config.PORT, config.HOST);
      const metricsPort = metricsHttp
        ? await listen(metricsHttp, config.METRICS_PORT ?? 0, config.METRICS_HOST)
        : undefined;
      warnAboutExposure(config, log);
      return { port, ...(metricsPort === undefined ? {} : { metricsPort }) };
    },
    async stop() {
      metricsHttp?.close();
      await wall.stop();
      await interventions.stop();
      // Leases released first: the other nodes take over at once rather than at expiry.
      await cluster?.stop();
      await io.close();
      http.closeAllConnections();
      gateway.close();
      floor.stop();
      metrics().setSource(undefined);
      await cti.stop();
      await stopHousekeeping?.();
      await services.databaseProbe?.stop();
      await redis?.close();
      uninstallServices(services);
    },
  };
}

/**
 * Room broadcasts between nodes (floor deltas, interventions, seats, evictions) go through a
 * Redis stream (@socket.io/redis-streams-adapter; why this one: README, "Several nodes"). Each
 * node reads it from where it last was, so a connection to Redis that drops and comes back
 * loses no broadcast.
 */
function broadcastAdapter(redis: RedisConnection) {
  return createAdapter(redis.broadcastClient, {
    streamName: redis.key("socket.io"),
    channelPrefix: redis.key("socket.io"),
    sessionKeyPrefix: redis.key("socket.io", "session:"),
    // A stopping node's reader notices within this (it checks between reads).
    blockTimeInMs: 1000,
  });
}

/** Socket.IO's cap on one incoming message (its default is 1 MB). */
export const SOCKET_MESSAGE_MAX_BYTES = 16 * 1024;

function listen(server: HttpServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

/** Cookies and passwords travel in clear over plain http beyond this machine: say so at start. */
function warnAboutExposure(config: TConfig, log: Logger): void {
  if (LOOPBACK.has(config.HOST) || config.publicUrl.startsWith("https:")) return;
  log.warn(
    { host: config.HOST, publicUrl: config.publicUrl },
    "listening beyond loopback while PUBLIC_URL is plain http: sign-in passwords and session cookies cross the network unencrypted; put Floorwatch behind a TLS proxy and set PUBLIC_URL=https://… (docs/security.md)",
  );
}

/** The gauges /metrics reads at scrape time. */
function installMetricsSource({ cti, floor, gateway, cluster }: TServices): void {
  metrics().setSource({
    // With several nodes, a company's monitor channel is its leader's: one series per company.
    linkUp: () =>
      cti
        .companies()
        .filter((companyCode) => !cluster || cluster.leads(companyCode))
        .map((companyCode) => ({
          companyCode,
          up: cti.linkState(companyCode)?.state === "up",
        })),
    staleAgents: () =>
      floor.companies().map((companyCode) => {
        const store = floor.store(companyCode);
        return {
          companyCode,
          agents: store?.size ?? 0,
          stale: store?.snapshot().agents.filter((a) => a.stale).length ?? 0,
        };
      }),
    freshnessSeconds: () => {
      const now = Date.now();
      return floor.companies().map((companyCode) => {
        const ages = floor.store(companyCode)?.confirmationAges(now) ?? [];
        return {
          companyCode,
          p50: quantile(ages, 0.5) / 1000,
          p99: quantile(ages, 0.99) / 1000,
          max: quantile(ages, 1) / 1000,
        };
      });
    },
    sockets: () => gateway.sockets(),
    ...(cluster
      ? {
          cluster: () => {
            const status = cluster.status();
            const now = Date.now();
            return {
              redisUp: status.redis.reachable,
              nodes: status.nodes.length,
              companies: floor.companies().map((companyCode) => {
                const lease = status.leases.find((l) => l.companyCode === companyCode);
                return {
                  companyCode,
                  leads: lease !== undefined,
                  heldSeconds: lease ? (now - lease.acquiredAt) / 1000 : 0,
                };
              }),
            };
          },
        }
      : {}),
  });
}
