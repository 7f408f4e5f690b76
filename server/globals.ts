import "server-only";
import type { Logger } from "pino";
import type { PrismaClient } from "@/generated/prisma/client";
import type { TMetrics } from "./metrics";
import type { TServices } from "./services";
import type { TLoginLimiter, TRateLimiterFactory } from "./state/login-limiter";
import type { TRefusalTally, TRefusalTallyFactory } from "./state/refusal-tally";

/**
 * What one process holds once. Next.js bundles route handlers and server actions apart from
 * server/index.ts, so each bundle has its own copy of every module: globalThis is the one object
 * they all share, and this typed record on it is the only thing kept there.
 */
export interface TProcessGlobals {
  /** The started apps, oldest first (server/services.ts); normally one. */
  services?: TServices[];
  db?: PrismaClient;
  logger?: Logger;
  metrics?: TMetrics;
  /** Per-node state read by the auth code, with the settings it was made for (tests change them). */
  loginLimiter?: { settings: string; store: TRateLimiterFactory; limiter: TLoginLimiter };
  refusalTally?: { windowMinutes: number; store: TRefusalTallyFactory; tally: TRefusalTally };
  /** This process's node id when NODE_ID is unset (server/node-id.ts). */
  nodeId?: string;
}

declare global {
  var floorwatch: TProcessGlobals | undefined;
}

export function processGlobals(): TProcessGlobals {
  globalThis.floorwatch ??= {};
  return globalThis.floorwatch;
}
