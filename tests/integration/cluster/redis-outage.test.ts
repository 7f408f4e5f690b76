import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TViewer } from "@/lib/auth/viewer";
import { recordRefusal } from "@/server/auth/refusals";
import { accountKey, createLoginLimiter } from "@/server/state/login-limiter";
import { closedPort, startTestApp, type TTestApp } from "../helpers/app";
import { startPrivateRedis, type TPrivateRedis } from "../helpers/redis";
import { startSim, type TSimProcess } from "../floor/helpers/sim";
import { waitFor } from "../floor/helpers/wait";
import { connectSocket, nextEvent } from "./helpers/nodes";

const COMPANY = "97301";
const SECRET = "hunter2-cluster-secret";
const viewer = (id: string): TViewer => ({
  kind: "user",
  id,
  name: id,
  role: "supervisor",
  companies: [COMPANY],
});

/**
 * [CLUSTER] Redis goes away and comes back (a Redis of the test's own, with a password): the
 * nodes refuse interventions meanwhile instead of acting without the shared lock, keep
 * counting sign-in failures per node, and deliver the broadcasts made meanwhile once Redis is
 * back. Its password never appears in a log line or an error.
 */
describe("[CLUSTER] when Redis goes away", () => {
  let sim: TSimProcess;
  let redis: TPrivateRedis;
  let a: TTestApp, b: TTestApp;
  const lines: string[] = [];
  const log = pino({ level: "info" }, { write: (line: string) => void lines.push(line) });

  const node = (name: string, url: string) =>
    startTestApp({
      ctiPort: sim.port,
      companies: [COMPANY],
      env: { REDIS_URL: url, REDIS_PREFIX: "outage:", NODE_ID: name },
      deps: { log },
    });

  beforeAll(async () => {
    sim = await startSim({ SIM_COMPANIES: COMPANY, SIM_AGENTS: "20", SIM_CALL_RATE: "0" });
    redis = await startPrivateRedis({ password: SECRET });
    a = await node("node-a", redis.url);
    b = await node("node-b", redis.url);
  }, 60_000);
  afterAll(async () => {
    try {
      await redis?.start();
      for (const app of [a, b]) await app?.stop();
    } finally {
      await redis?.stop();
      await sim?.kill();
    }
  });

  it("a node does not start without its Redis, and says where and what to do", async () => {
    const url = `redis://:${SECRET}@127.0.0.1:${await closedPort()}`;
    const failed = await node("node-x", url).then(
      () => new Error("started without Redis"),
      (error: unknown) => error as Error,
    );
    expect(failed.message).toMatch(
      /^Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ cannot be reached/,
    );
    expect(failed.message).toContain("unset REDIS_URL");
    expect(failed.message).not.toContain(SECRET);
  });

  it("refuses interventions while Redis is away, and delivers its broadcasts once it is back", async () => {
    const watched = viewer("u-watched");
    const evicted = viewer("u-evicted");
    const onB = await connectSocket(b.url, watched);
    const evictedOnB = await connectSocket(b.url, evicted);
    const late = nextEvent(onB, "seat:updated", (s) => s.reason === "while-redis-was-away", 20_000);
    const dropped = new Promise<string>((resolve) => evictedOnB.once("disconnect", resolve));
    // A node in service has read the stream (a node that has read nothing yet resumes from its
    // end, and may miss what was added while it was away: docs/cluster.md).
    const primed = nextEvent(onB, "seat:updated", (s) => s.reason === "before-the-outage");
    a.services.gateway.publishSeat(watched.id, {
      state: "unlinked",
      since: Date.now(),
      reason: "before-the-outage",
    });
    await primed;

    await redis.stop();
    // Once node A knows Redis is away (a command written just before the connection broke is
    // lost with it: node-redis does not send it again).
    await waitFor(
      () => a.services.redis?.broadcastClient.isReady,
      (ready) => ready === false,
      { what: "node A's broadcast connection down" },
    );
    // Made on node A while Redis is away: a seat update for a socket on B, an eviction on B.
    a.services.gateway.publishSeat(watched.id, {
      state: "unlinked",
      since: Date.now(),
      reason: "while-redis-was-away",
    });
    a.services.gateway.evict("user", evicted.id);
    const refused = await a.services.interventions.pipeline.run(
      "interrupt_call",
      { ...watched, ctiAgentId: `${COMPANY}_20004` },
      {
        companyCode: COMPANY,
        targetAgentId: `${COMPANY}_20001`,
        callUuid: "any-call",
        reason: "",
        idempotencyKey: crypto.randomUUID(),
      },
      { ip: null, userAgent: null },
    );
    expect(refused).toEqual({ ok: false, code: "shared_state_down" });
    // A seat held elsewhere cannot be reached: refused, not thrown (sign-out goes on).
    const seats = b.services.interventions.seats;
    expect(await seats.unlink(watched.id, { ip: null, userAgent: null }, "signed_out")).toEqual({
      ok: false,
      code: "shared_state_down",
    });
    expect(await seats.setAgentStatus(watched.id, "BUSY")).toEqual({
      ok: false,
      code: "shared_state_down",
    });
    // Sign-in limits go on counting, on each node alone, until Redis is back.
    const limiter = createLoginLimiter(
      {
        AUTH_IP_MAX_FAILURES: 100,
        AUTH_IP_WINDOW_MINUTES: 15,
        AUTH_MAX_FAILED_LOGINS: 3,
        AUTH_ACCOUNT_MAX_FAILURES: 100,
        AUTH_LOCKOUT_MINUTES: 15,
      },
      a.services.state.rateLimiter,
    );
    const account = { key: accountKey("eve", 0), knownSource: false };
    const claims = [];
    for (let i = 0; i < 5; i += 1)
      claims.push(await limiter.claim({ address: "10.8.0.1", account }));
    expect(claims.map((c) => c.ok)).toEqual([true, true, true, false, false]);
    // A refused attempt stays refused; it is not counted while the tally is unreachable.
    await expect(
      recordRefusal("sign_in", { ip: "10.8.0.1", userAgent: null }),
    ).resolves.toBeUndefined();

    await new Promise((resolve) => setTimeout(resolve, 500));
    await redis.start();
    expect(await late).toMatchObject({ state: "unlinked", reason: "while-redis-was-away" });
    expect(await dropped).toBe("io server disconnect");
    onB.close();
    // The shared state is back once its connection is (it reconnects with a capped backoff).
    const lock = await waitFor(
      () => a.services.state.locks.acquire("after-outage", "i-1", "alice", 1000).catch(() => null),
      (result) => result !== null,
      { timeout: 10_000, interval: 200, what: "the shared state back" },
    );
    expect(lock?.ok).toBe(true);

    const logged = lines.join("");
    expect(logged).toContain("redis connection lost");
    expect(logged).toContain("redis connection back");
    expect(logged).toContain(":***@127.0.0.1");
    expect(logged).not.toContain(SECRET);
  }, 60_000);
});
