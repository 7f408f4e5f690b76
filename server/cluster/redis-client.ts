import "server-only";
import { Redis } from "ioredis";

export type { Redis } from "ioredis";

export interface TRedisOptions {
  /** Shown in `CLIENT LIST` (node id and role). */
  name: string;
  /** A command without an answer after this fails (a lease renewal must not wait forever). */
  commandTimeoutMs: number;
}

/**
 * The cluster's Redis connections (leases, replication, node records), on ioredis; the shared
 * state and the seat relay use node-redis (server/redis/connection.ts). The one place the
 * cluster makes a connection. Commands fail rather than queue while Redis is
 * unreachable: every caller (leases, replication, node heartbeats) has its own retry, and a
 * command that waited in a queue past its lease would act on a lease already gone.
 */
export function createRedis(url: string, options: TRedisOptions): Redis {
  return new Redis(url, {
    connectionName: options.name,
    commandTimeout: options.commandTimeoutMs,
    connectTimeout: Math.max(1000, options.commandTimeoutMs),
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    // Reconnect soon and keep trying: the cluster is degraded until Redis is back.
    retryStrategy: (attempt) => Math.min(100 * attempt, 2000),
    lazyConnect: true,
  });
}
