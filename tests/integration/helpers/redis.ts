import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { connect, createServer, type AddressInfo, type Socket } from "node:net";
import readline from "node:readline";
import { createClient } from "@redis/client";
import pino from "pino";
import { RedisConnection } from "@/server/redis/connection";

/** The machine's Redis (started before every session and CI run); TEST_REDIS_URL for another. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/**
 * A prefix of its own for one test file, on a Redis checked to answer: its keys are removed by
 * `cleanup`. Fails with what to do when Redis is not running.
 */
export async function testRedis(name: string): Promise<{
  url: string;
  prefix: string;
  /** A node's connection (connected) under this prefix; closed by cleanup. */
  connect(nodeId: string): Promise<RedisConnection>;
  /** Keys under the prefix right now. */
  keys(): Promise<string[]>;
  cleanup(): Promise<void>;
}> {
  const prefix = `floorwatch-test:${name}:${randomUUID().slice(0, 8)}:`;
  const admin = createClient({
    url: TEST_REDIS_URL,
    socket: { connectTimeout: 2000, reconnectStrategy: false },
  });
  admin.on("error", () => {});
  try {
    await admin.connect();
    await admin.ping();
  } catch (error) {
    throw new Error(
      `These tests need Redis at ${TEST_REDIS_URL} and it does not answer ` +
        `(${error instanceof Error ? error.message : String(error)}). Start it: ` +
        "`redis-server --daemonize yes` (Debian: `apt-get install -y redis-server`), " +
        "or set TEST_REDIS_URL to one that runs.",
    );
  }
  const opened: RedisConnection[] = [];
  const keys = async () => {
    const found: string[] = [];
    for await (const batch of admin.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 }))
      found.push(...batch);
    return found;
  };
  return {
    url: TEST_REDIS_URL,
    prefix,
    async connect(nodeId) {
      const connection = new RedisConnection({
        url: TEST_REDIS_URL,
        prefix,
        nodeId,
        log: pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }),
      });
      await connection.connect();
      opened.push(connection);
      return connection;
    },
    keys,
    async cleanup() {
      await Promise.all(opened.map((connection) => connection.close()));
      const left = await keys();
      if (left.length > 0) await admin.unlink(left);
      admin.destroy();
    },
  };
}

/**
 * A Redis of this test's own (`redis-server` on a free loopback port, no persistence), so a
 * test can stop it and start it again on the same port without touching the machine's Redis.
 */
export interface TPrivateRedis {
  port: number;
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startPrivateRedis(options: { password: string }): Promise<TPrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    if (child) return;
    const spawned = spawn(
      "redis-server",
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--requirepass",
        options.password,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    await new Promise<void>((resolve, reject) => {
      spawned.once("error", (error) =>
        reject(
          new Error(
            `redis-server could not be started (${error.message}): install it (Debian: apt-get install -y redis-server)`,
          ),
        ),
      );
      spawned.once("exit", (code) => reject(new Error(`redis-server exited with ${code}`)));
      readline.createInterface({ input: spawned.stdout! }).on("line", (line) => {
        if (line.includes("Ready to accept connections")) resolve();
      });
    });
    spawned.removeAllListeners("exit");
    child = spawned;
  };
  await start();
  return {
    port,
    url: `redis://:${encodeURIComponent(options.password)}@127.0.0.1:${port}`,
    start,
    async stop() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        running.once("exit", () => resolve());
        running.kill("SIGKILL");
      });
    },
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A TCP proxy in front of a Redis, so a test can cut one node's connections to it (and refuse
 * new ones) while Redis and the other nodes go on, then let it through again.
 */
export async function startRedisProxy(target: { port: number }): Promise<{
  port: number;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}> {
  const open = new Set<Socket>();
  let cut = false;
  const server = createServer((client) => {
    if (cut) return client.destroy();
    const upstream = connect(target.port, "127.0.0.1");
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on("error", () => {});
      socket.on("close", () => {
        open.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    cut() {
      cut = true;
      for (const socket of open) socket.destroy();
    },
    restore() {
      cut = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
