/**
 * One Floorwatch node as its own process, for the cluster tests and bench:cluster: createApp as
 * server/index.ts assembles it, against the CTI at CTI_PORT, with REDIS_URL/REDIS_PREFIX/NODE_ID/
 * LEASE_MS from the environment, sockets carrying their viewer in the handshake (as every floor
 * test does), and a small HTTP handler in place of Next.js:
 *   GET /test/snapshot/<company>  (header x-test-viewer: a viewer as JSON) → snapshotJsonFor(...), as the snapshot route
 *   GET /test/status              → this node's view: leases, epochs and seqs, cluster status
 *   GET /test/health              → healthReport() (what /api/health builds on)
 * Env: DATABASE_URL, CTI_PORT, COMPANIES (comma-separated), and any setting of server/config.ts.
 * Prints `{"event":"ready","port":…}` once listening; SIGTERM stops it cleanly (leases released).
 * IPC (when forked): `{cmd:"intervene", viewer, targetAgentId, callUuid}` links the viewer's seat
 * and starts a force hang-up, answering `{event:"sent", id}` once it is recorded as sent.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import pino from "pino";
import { ZViewer } from "@/lib/auth/viewer";
import { createApp } from "@/server/app";
import { loadAuthConfig } from "@/server/auth/config";
import { loadConfig } from "@/server/config";
import { snapshotJsonFor } from "@/server/floor/snapshot";
import { healthReport } from "@/server/health";
import type { TServices } from "@/server/services";
import { viewerFromHandshake } from "../integration/helpers/app";

const env = {
  PORT: "0",
  HOST: "127.0.0.1",
  PUBLIC_URL: "http://127.0.0.1",
  AUTH_SECRET: "integration-test-secret-0123456789abcdef",
  ...process.env,
};
const ctiPort = Number(process.env.CTI_PORT);
const companies = (process.env.COMPANIES ?? "").split(",").filter(Boolean);

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

/** This node's view of the cluster and of each company's floor. */
function status(app: TServices) {
  const cpu = process.cpuUsage();
  return {
    nodeId: app.config.nodeId,
    /** CPU time this process has used (µs), and its resident memory: where a bench's time goes. */
    process: { cpuMicros: cpu.user + cpu.system, rssBytes: process.memoryUsage().rss },
    cluster: app.cluster?.status(),
    companies: companies.map((companyCode) => {
      const store = app.floor.store(companyCode);
      return {
        companyCode,
        leads: app.floor.leads(companyCode),
        epoch: store?.epoch,
        seq: store?.seq,
        agents: store?.size ?? 0,
        link: app.floor.heartbeat(companyCode)?.link,
      };
    }),
  };
}

function web(req: IncomingMessage, res: ServerResponse): void {
  const app = services;
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const snapshot = /^\/test\/snapshot\/([\w-]+)$/.exec(url.pathname);
  if (snapshot?.[1] !== undefined) {
    const viewer = ZViewer.safeParse(JSON.parse(String(req.headers["x-test-viewer"] ?? "null")));
    if (!viewer.success) return json(res, 401, { code: "unauthenticated" });
    void snapshotJsonFor(app.floor, viewer.data, snapshot[1]).then((result) => {
      if (!result.ok) return json(res, 404, { code: result.code });
      res.writeHead(200, { "content-type": "application/json" }).end(result.body);
    });
    return;
  }
  if (url.pathname === "/test/status") return json(res, 200, status(app));
  if (url.pathname === "/test/health") return json(res, 200, healthReport());
  json(res, 404, { code: "not_found" });
}

const app = createApp({
  config: loadConfig(env),
  authConfig: loadAuthConfig(env),
  log: pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }, pino.destination(2)),
  cti: {
    url: `ws://127.0.0.1:${ctiPort}`,
    httpUrl: `http://127.0.0.1:${ctiPort}`,
    companies: companies.map((companyCode) => ({
      companyCode,
      monitorAgentId: `${companyCode}_monitor`,
    })),
  },
  process: { version: "test", mode: "external-cti" },
  seedAccounts: false,
  authenticateSocket: viewerFromHandshake,
  web,
});
const services = app.services;

process.on("message", (raw: unknown) => void intervene(raw));

async function intervene(raw: unknown): Promise<void> {
  const message = raw as {
    cmd?: string;
    viewer?: unknown;
    targetAgentId?: string;
    callUuid?: string;
  };
  if (message.cmd !== "intervene") return;
  const viewer = ZViewer.parse(message.viewer);
  const meta = { ip: null, userAgent: null };
  const linked = await services.interventions.seats.link(
    viewer,
    { password: "Aa123321.", force: true },
    meta,
  );
  if (!linked.ok) return void process.send?.({ event: "error", code: linked.code });
  const running = services.interventions.pipeline.run(
    "interrupt_call",
    viewer,
    {
      companyCode: viewer.companies[0] ?? "",
      targetAgentId: message.targetAgentId ?? "",
      callUuid: message.callUuid ?? "",
      reason: "cluster test",
      idempotencyKey: crypto.randomUUID(),
    },
    meta,
  );
  // Refused before anything was sent: say why rather than wait for a row that never comes.
  void running.then((result) => {
    if (!result.ok) process.send?.({ event: "error", code: result.code });
  });
  for (;;) {
    const row = await services.db.intervention.findFirst({ where: { stage: "sent" } });
    if (row) return void process.send?.({ event: "sent", id: row.id });
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// Started by a bench with a stdin pipe: do not outlive it, however it ends.
if (process.env.EXIT_WITH_PARENT === "1") process.stdin.on("end", () => process.exit(1)).resume();
process.once("SIGTERM", () => {
  void app.stop().finally(() => process.exit(0));
});
const { port } = await app.start();
process.stdout.write(
  `${JSON.stringify({ event: "ready", port, nodeId: services.config.nodeId })}\n`,
);
