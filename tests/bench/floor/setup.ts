/**
 * What bench:floor starts before it measures: the Next.js build, the simulator, the counting
 * proxy, the dashboard (createApp with the Next.js handler and a temporary database) and the
 * bench's accounts.
 */
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import path from "node:path";
import next from "next";
import { z } from "zod";
import { createApp, type TApp } from "@/server/app";
import { loadAuthConfig } from "@/server/auth/config";
import { insertUser } from "@/server/auth/users";
import { buildIsCurrent, sourceFingerprint } from "@/server/build";
import { loadConfig } from "@/server/config";
import { processGlobals } from "@/server/globals";
import { forkModule, jsonLine, nextMessage, runNode, spawnUntilLine } from "../children";
import { ZProxyReady, type TBenchUser } from "./messages";
import {
  AGENTS_PER_COMPANY,
  benchFile,
  CALL_RATE,
  COMPANIES,
  log,
  MAX_IN_FLIGHT,
  POLL_MS,
  PROF_ARGS,
  SKIP_BUILD,
  sleep,
} from "./settings";

/** A loopback port the kernel reports free (Next.js and the Origin check need it before listen). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** `built`, `current` or `skipped`: what the Next.js production build needed. */
export async function ensureBuild(): Promise<string> {
  if (SKIP_BUILD) return "skipped (SKIP_BUILD)";
  if (buildIsCurrent()) return "current";
  // As server/build.ts ensureBuilt, but as a child of ours, ended with us at the deadline.
  const fingerprint = sourceFingerprint();
  await runNode(
    [path.join(process.cwd(), "node_modules", "next", "dist", "bin", "next"), "build"],
    "next build",
    true,
  );
  writeFileSync(path.join(process.cwd(), ".next", "floorwatch-build-stamp"), fingerprint);
  return "built";
}

/** The simulator as its own process, on ports of its choosing; it dies with us (stdin pipe). */
export async function startSimulator(): Promise<{ port: number; controlPort: number }> {
  const ZReady = z.object({
    event: z.literal("sim:listening"),
    port: z.number(),
    controlPort: z.number(),
  });
  const { value } = await spawnUntilLine(
    [...PROF_ARGS, "--import", "tsx", path.join(process.cwd(), "server/sim/main.ts")],
    {
      ...process.env,
      SIM_PORT: "0",
      SIM_CONTROL_PORT: "0",
      SIM_COMPANIES: COMPANIES.join(","),
      SIM_AGENTS: String(AGENTS_PER_COMPANY),
      SIM_CALL_RATE: String(CALL_RATE),
      SIM_SEED: "bench",
      SIM_EXIT_WITH_PARENT: "1",
    },
    jsonLine(ZReady),
    90_000,
  );
  return value;
}

/** The counting proxy in front of the simulator: a listener for ours and one for the naive design. */
export async function startProxy(
  simPort: number,
): Promise<{ proxy: ChildProcess; ours: number; naive: number }> {
  const proxy = forkModule(benchFile("cti-proxy.ts"), [...PROF_ARGS, "--import", "tsx"], {
    ...process.env,
    BENCH_PROXY_UPSTREAM_PORT: String(simPort),
    BENCH_PROXY_LABELS: "ours,naive",
  });
  const { ports } = await nextMessage(proxy, ZProxyReady, 30_000, "the proxy's start");
  if (ports.ours === undefined || ports.naive === undefined)
    throw new Error("the proxy did not open both listeners");
  return { proxy, ours: ports.ours, naive: ports.naive };
}

/** The environment the dashboard reads (this process and the Next.js bundles read it lazily). */
function dashboardEnv(port: number, ctiPort: number, databaseUrl: string): Record<string, string> {
  return {
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    AUTH_SECRET: randomBytes(32).toString("hex"),
    HOST: "127.0.0.1",
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    CTI_URL: `ws://127.0.0.1:${ctiPort}`,
    CTI_COMPANIES: COMPANIES.join(","),
    POLL_INTERVAL_MS: String(POLL_MS),
    MAX_IN_FLIGHT: String(MAX_IN_FLIGHT),
    LOG_LEVEL: "warn",
    NEXT_TELEMETRY_DISABLED: "1",
  };
}

/**
 * The dashboard as server/index.ts starts it, watching the CTI behind the proxy at `ctiPort`:
 * a fresh migrated database in `tmp`, the Next.js production handler, then createApp.
 */
export async function startDashboard(
  ctiPort: number,
  tmp: string,
): Promise<{ app: TApp; url: string }> {
  const port = await freePort();
  const databaseUrl = `file:${path.join(tmp, "bench.db")}`;
  Object.assign(process.env, dashboardEnv(port, ctiPort, databaseUrl));
  // One logger for this process and the Next.js bundles (they share globalThis): warnings, stderr.
  processGlobals().logger = log;
  await runNode(
    [path.join(process.cwd(), "node_modules", "prisma", "build", "index.js"), "migrate", "deploy"],
    "prisma migrate deploy",
  );
  const web = next({ dev: false, dir: process.cwd(), hostname: "127.0.0.1", port });
  const handle = web.getRequestHandler();
  await web.prepare();
  const config = loadConfig(process.env);
  const version = (JSON.parse(readFileSync("package.json", "utf8")) as { version: string }).version;
  const app = createApp({
    config,
    authConfig: loadAuthConfig(process.env),
    log,
    cti: { url: config.ctiUrl, httpUrl: config.ctiHttpUrl, companies: config.companies },
    process: { version, mode: "external-cti" },
    web: (req, res) => void handle(req, res),
    // The bench makes its own accounts; the first-admin seed would print a password on stdout.
    seedAccounts: false,
  });
  const started = await app.start();
  if (started.port !== port) throw new Error(`dashboard listens on ${started.port}, not ${port}`);
  return { app, url: `http://127.0.0.1:${port}` };
}

/** A supervisor and a viewer per company, with passwords of this run only. */
export async function createBenchUsers(): Promise<TBenchUser[]> {
  const users: TBenchUser[] = COMPANIES.flatMap((companyCode) =>
    (["supervisor", "viewer"] as const).map((role) => ({
      companyCode,
      role,
      username: `bench_${role === "supervisor" ? "sup" : "view"}_${companyCode}`,
      password: randomBytes(12).toString("base64url"),
    })),
  );
  for (const user of users) {
    await insertUser(
      { ...user, allCompanies: false },
      { kind: "system" },
      { ip: null, userAgent: null },
    );
  }
  return users;
}

/** Measure the steady state: every company's roster loaded first. */
export async function waitForRosters(app: TApp): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (!COMPANIES.every((c) => app.services.floor.store(c)?.hasRoster)) {
    if (Date.now() > deadline) throw new Error("rosters did not load");
    await sleep(200);
  }
}
