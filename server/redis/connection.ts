import "server-only";
import { createClient, type RedisClientOptions } from "@redis/client";
import type { Logger } from "pino";

export type TRedisClient = ReturnType<typeof newClient>;

/**
 * Closes a client: gracefully (its pending replies first) while connected, at once while it is
 * reconnecting (a graceful close would wait for Redis to come back), and at once if a graceful
 * close takes longer than a second.
 */
export async function closeClient(client: TRedisClient): Promise<void> {
  if (!client.isOpen) return;
  if (!client.isReady) return client.destroy();
  const timer = setTimeout(() => client.destroy(), 1000);
  try {
    await client.close();
  } catch {
    client.destroy();
  } finally {
    clearTimeout(timer);
  }
}

function newClient(options: RedisClientOptions) {
  return createClient(options);
}

/** A Redis URL as it may be logged: the password (and a user name) replaced. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    if (parsed.username) parsed.username = "***";
    return parsed.toString();
  } catch {
    return "(unparsable REDIS_URL)";
  }
}

/** Redis could not be reached at start: the message says where (never with the password). */
export class RedisUnavailableError extends Error {
  constructor(where: string, cause: unknown) {
    super(
      `Redis at ${where} cannot be reached (${cause instanceof Error ? cause.message : String(cause)}). ` +
        "Start it (e.g. `redis-server` or `systemctl start redis-server`), or unset REDIS_URL to run one node without Redis.",
    );
    this.name = "RedisUnavailableError";
  }
}

export interface TRedisOptions {
  url: string;
  /** REDIS_PREFIX: every key and channel of this installation starts with it. */
  prefix: string;
  nodeId: string;
  log: Logger;
  /** How long the first connection may take before the start fails. */
  connectTimeoutMs?: number;
}

/** A command of the shared state (locks, keys, limits, seats) fails after this instead of hanging. */
const COMMAND_TIMEOUT_MS = 3000;
/**
 * Broadcasts made while Redis is away wait in the adapter client's queue and go out in order
 * when it is back; past this many, they still reach this node's sockets but not other nodes'.
 */
const BROADCAST_QUEUE_MAX = 10_000;

/**
 * This node's connections to the Redis the nodes share: one for the shared state, which fails
 * fast while Redis is away (an intervention is refused rather than left hanging), and one for
 * Socket.IO's adapter, which queues broadcasts until Redis is back. Both reconnect by
 * themselves with a capped backoff.
 */
export class RedisConnection {
  readonly prefix: string;
  readonly nodeId: string;
  /** The URL without its password, for logs and messages. */
  readonly where: string;
  readonly client: TRedisClient;
  readonly broadcastClient: TRedisClient;
  private readonly log: Logger;
  private connected = false;
  /** Clients whose connection is lost (their loss is logged once, and their return). */
  private readonly down = new Set<string>();

  constructor(private readonly options: TRedisOptions) {
    this.prefix = options.prefix;
    this.nodeId = options.nodeId;
    this.where = redactRedisUrl(options.url);
    this.log = options.log.child({ redis: this.where });
    this.client = this.create("state", {
      disableOfflineQueue: true,
      commandOptions: { timeout: COMMAND_TIMEOUT_MS },
    });
    this.broadcastClient = this.create("broadcast", {
      commandsQueueMaxLength: BROADCAST_QUEUE_MAX,
    });
  }

  /** A key or channel of this installation: the prefix, then the parts joined by `:`. */
  key(...parts: string[]): string {
    return `${this.prefix}${parts.join(":")}`;
  }

  /** Connects both clients; rejects with RedisUnavailableError if Redis cannot be reached. */
  async connect(): Promise<void> {
    try {
      await Promise.all([this.client.connect(), this.broadcastClient.connect()]);
    } catch (error) {
      await this.close();
      throw new RedisUnavailableError(this.where, error);
    }
    this.connected = true;
    this.log.info({ prefix: this.prefix }, "redis connected");
  }

  /** A connection of its own for SUBSCRIBE (a subscribed connection does nothing else). */
  async subscriber(role: string): Promise<TRedisClient> {
    const client = this.client.duplicate({
      name: `floorwatch:${this.nodeId}:${role}`,
      commandOptions: {},
    });
    this.watch(client, role);
    await client.connect();
    return client;
  }

  async close(): Promise<void> {
    await Promise.all([this.client, this.broadcastClient].map(closeClient));
  }

  private create(
    role: string,
    extra: Pick<
      RedisClientOptions,
      "disableOfflineQueue" | "commandOptions" | "commandsQueueMaxLength"
    >,
  ): TRedisClient {
    const client = newClient({
      url: this.options.url,
      name: `floorwatch:${this.nodeId}:${role}`,
      ...extra,
      socket: {
        connectTimeout: this.options.connectTimeoutMs ?? 5000,
        reconnectStrategy: (retries, cause) => {
          // Before the first connection, fail the start instead of retrying forever.
          if (!this.connected) return retries >= 2 ? cause : 200;
          return Math.min(100 * 2 ** retries, 2000) + Math.floor(Math.random() * 100);
        },
      },
    });
    this.watch(client, role);
    return client;
  }

  /** Logs a lost connection once, and its return; node-redis reconnects by itself. */
  private watch(client: TRedisClient, role: string): void {
    client.on("error", (error: unknown) => {
      if (!this.connected || this.down.has(role)) return;
      this.down.add(role);
      this.log.error(
        { role, err: error instanceof Error ? error.message : String(error) },
        "redis connection lost: reconnecting (shared state refused meanwhile, broadcasts queued)",
      );
    });
    client.on("ready", () => {
      if (!this.down.delete(role)) return;
      this.log.warn({ role }, "redis connection back");
    });
  }
}
