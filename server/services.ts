import "server-only";
import type { Logger } from "pino";
import type { PrismaClient } from "@/generated/prisma/client";
import type { TConfig } from "./config";
import type { TAuthConfig } from "./auth/config";
import type { Cluster } from "./cluster/cluster";
import type { CtiLink } from "./cti/link";
import type { Floor } from "./floor/floor";
import type { DatabaseProbe } from "./database/probe";
import type { Interventions } from "./interventions";
import type { RedisConnection } from "./redis/connection";
import type { TGateway } from "./realtime/gateway";
import type { TNodeState } from "./state/node-state";
import type { Wall } from "./wall";
import { processGlobals } from "./globals";

export interface TProcessInfo {
  startedAt: number;
  version: string;
  mode: "embedded-simulator" | "external-cti";
}

/** Everything a route handler, a server action or a test reaches of the running process. */
export interface TServices {
  config: TConfig;
  authConfig: TAuthConfig;
  log: Logger;
  db: PrismaClient;
  /** PostgreSQL only: its reachability, checked every few seconds for /api/health. */
  databaseProbe?: DatabaseProbe;
  process: TProcessInfo;
  cti: CtiLink;
  floor: Floor;
  gateway: TGateway;
  /** Seats, the intervention pipeline and its record. */
  interventions: Interventions;
  /** Per-node state behind interfaces (locks, idempotency keys, login limits). */
  state: TNodeState;
  /** The wall display: thresholds, its configuration and the floor's per-minute history. */
  wall: Wall;
  /** The Redis the nodes share (REDIS_URL), when there is one. */
  redis?: RedisConnection;
  /** Several nodes (REDIS_URL): leases, replication, the other nodes. Absent with one node. */
  cluster?: Cluster;
}

/**
 * The running process's services; undefined until createApp() has installed them. A process
 * runs one app (server/index.ts); when tests start several in one process, this is the most
 * recently started one that has not stopped (docs/architecture.md, "Process-wide objects").
 */
export function services(): TServices | undefined {
  return processGlobals().services?.at(-1);
}

/** `createApp().start()`: these services answer services() until they are uninstalled. */
export function installServices(value: TServices): void {
  const globals = processGlobals();
  globals.services = [...(globals.services ?? []).filter((s) => s !== value), value];
}

/** `createApp().stop()`: these services leave; another app still running stays installed. */
export function uninstallServices(value: TServices): void {
  const globals = processGlobals();
  globals.services = (globals.services ?? []).filter((s) => s !== value);
}
