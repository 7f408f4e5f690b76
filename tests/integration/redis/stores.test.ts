import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RedisConnection } from "@/server/redis/connection";
import { createLoginLimiter, accountKey } from "@/server/state/login-limiter";
import { createRedisNodeState } from "@/server/state/node-state";
import { RedisIdempotencyStore } from "@/server/state/redis-idempotency";
import { RedisLockStore } from "@/server/state/redis-locks";
import { RedisRefusalTally } from "@/server/state/redis-refusal-tally";
import { testRedis } from "../helpers/redis";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * [REDIS] The shared-state stores against a real Redis, each used from two connections as two
 * nodes would: the contracts of their in-memory twins (tests/unit/state, tests/unit/auth) hold
 * across nodes.
 */
describe("[REDIS] shared-state stores", () => {
  let redis: Awaited<ReturnType<typeof testRedis>>;
  let nodeA: RedisConnection;
  let nodeB: RedisConnection;

  beforeAll(async () => {
    redis = await testRedis("stores");
    nodeA = await redis.connect("node-a");
    nodeB = await redis.connect("node-b");
  });
  afterAll(async () => {
    await redis?.cleanup();
  });

  describe("RedisLockStore", () => {
    it("one holder per key across nodes; the second is told who holds it", async () => {
      const [a, b] = [new RedisLockStore(nodeA), new RedisLockStore(nodeB)];
      const first = await a.acquire("call:1", "i-1", "alice", 5000);
      expect(first.ok).toBe(true);
      const second = await b.acquire("call:1", "i-2", "bob", 5000);
      expect(second.ok).toBe(false);
      if (second.ok || !first.ok) return;
      expect(second.holder).toMatchObject({ owner: "i-1", label: "alice" });
      expect(second.holder.acquiredAt).toBe(first.holder.acquiredAt);
      expect(second.holder.expiresAt - Date.now()).toBeGreaterThan(4000);
      expect((await b.acquire("call:2", "i-2", "bob", 5000)).ok).toBe(true);
    });

    it("concurrent acquires from two nodes: exactly one wins", async () => {
      const stores = [new RedisLockStore(nodeA), new RedisLockStore(nodeB)];
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          stores[i % 2]!.acquire("race", `i${i}`, `U${i}`, 5000),
        ),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(1);
    });

    it("expires by itself; an expired holder's token releases and extends nothing", async () => {
      const [a, b] = [new RedisLockStore(nodeA), new RedisLockStore(nodeB)];
      const first = await a.acquire("expiring", "i-1", "alice", 200);
      if (!first.ok) throw new Error("not acquired");
      await sleep(300);
      expect(await b.holder("expiring")).toBeUndefined();
      const second = await b.acquire("expiring", "i-2", "bob", 5000);
      if (!second.ok) throw new Error("not acquired after expiry");
      expect(await a.release("expiring", first.token)).toBe(false);
      expect(await a.extend("expiring", first.token, 60_000)).toBe(false);
      expect((await a.holder("expiring"))?.owner).toBe("i-2");
      expect(await a.extend("expiring", second.token, 60_000)).toBe(true);
      expect((await b.holder("expiring"))!.expiresAt - Date.now()).toBeGreaterThan(55_000);
      expect(await a.release("expiring", second.token)).toBe(true);
      expect(await b.holder("expiring")).toBeUndefined();
    });

    it("a token releases only its own lock, from any node", async () => {
      const [a, b] = [new RedisLockStore(nodeA), new RedisLockStore(nodeB)];
      const held = await a.acquire("owned", "i-1", "alice", 5000);
      if (!held.ok) throw new Error("not acquired");
      expect(await b.release("owned", "not-the-token")).toBe(false);
      expect((await b.holder("owned"))?.owner).toBe("i-1");
      expect(await b.release("owned", held.token)).toBe(true);
    });
  });

  describe("RedisIdempotencyStore", () => {
    it("new, then pending on the other node while it runs, then the stored result", async () => {
      const [a, b] = [new RedisIdempotencyStore(nodeA), new RedisIdempotencyStore(nodeB)];
      expect(await a.begin("k1", 60_000)).toEqual({ state: "new" });
      expect(await b.begin("k1", 60_000)).toEqual({ state: "pending" });
      await a.complete("k1", '{"ok":true}', 60_000);
      expect(await b.begin("k1", 60_000)).toEqual({ state: "done", result: '{"ok":true}' });
    });

    it("concurrent begins from two nodes: exactly one is new", async () => {
      const stores = [new RedisIdempotencyStore(nodeA), new RedisIdempotencyStore(nodeB)];
      const claims = await Promise.all(
        Array.from({ length: 40 }, (_, i) => stores[i % 2]!.begin("race", 60_000)),
      );
      expect(claims.filter((c) => c.state === "new")).toHaveLength(1);
      expect(claims.filter((c) => c.state === "pending")).toHaveLength(39);
    });

    it("an abandoned claim may run again (one winner); a completed one is never abandoned", async () => {
      const [a, b] = [new RedisIdempotencyStore(nodeA), new RedisIdempotencyStore(nodeB)];
      await a.begin("k2", 60_000);
      await a.abandon("k2");
      const again = await Promise.all([a.begin("k2", 60_000), b.begin("k2", 60_000)]);
      expect(again.map((c) => c.state).sort()).toEqual(["new", "pending"]);
      await b.complete("k2", "1", 60_000);
      await a.abandon("k2");
      expect(await a.begin("k2", 60_000)).toEqual({ state: "done", result: "1" });
    });

    it("a key lasts its ttl, then may run again", async () => {
      const store = new RedisIdempotencyStore(nodeA);
      await store.begin("k3", 200);
      await store.complete("k3", "x", 200);
      await sleep(300);
      expect(await store.begin("k3", 200)).toEqual({ state: "new" });
    });
  });

  describe("RedisRefusalTally", () => {
    const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 8, minutes));
    const WINDOW = 15 * 60_000;

    it("one window for every node; its rest is handed over once when it closes", async () => {
      // Through the node state, as the auth code gets them.
      const [a, b] = [nodeA, nodeB].map((node) => createRedisNodeState(node).refusalTally(WINDOW));
      if (!a || !b) throw new Error("no tally");
      expect(await a.note("addr-1", at(0))).toEqual({ opened: true, closed: null });
      for (let m = 1; m <= 6; m += 1)
        expect(await (m % 2 ? b : a).note("addr-1", at(m))).toEqual({
          opened: false,
          closed: null,
        });
      expect(await a.drain(at(10))).toEqual([]);
      expect(await b.note("addr-1", at(20))).toEqual({
        opened: true,
        closed: { key: "addr-1", count: 6, since: at(1) },
      });
      await a.note("addr-1", at(21));
      await b.note("addr-2", at(21));
      const drained = await Promise.all([a.drain(at(40)), b.drain(at(40))]);
      expect(drained.flat()).toEqual([{ key: "addr-1", count: 1, since: at(21) }]);
      expect(await a.drain()).toEqual([]);
    });

    it("hands over every count when stopping", async () => {
      const tally = new RedisRefusalTally(nodeA, WINDOW);
      await tally.note("addr-3", at(0));
      await tally.note("addr-3", at(1));
      expect(await tally.drain()).toEqual([{ key: "addr-3", count: 1, since: at(1) }]);
    });
  });

  describe("login limits in Redis (RateLimiterRedis)", () => {
    const CONFIG = {
      AUTH_IP_MAX_FAILURES: 6,
      AUTH_IP_WINDOW_MINUTES: 15,
      AUTH_MAX_FAILED_LOGINS: 3,
      AUTH_ACCOUNT_MAX_FAILURES: 4,
      AUTH_LOCKOUT_MINUTES: 15,
    };

    it("concurrent claims on two nodes never pass the limits together", async () => {
      const limiters = [nodeA, nodeB].map((node) =>
        createLoginLimiter(CONFIG, createRedisNodeState(node).rateLimiter),
      );
      const account = { key: accountKey("ann", 0), knownSource: false };
      const claims = await Promise.all(
        Array.from({ length: 10 }, (_, i) => limiters[i % 2]!.claim({ address: "a1", account })),
      );
      expect(claims.filter((c) => c.ok)).toHaveLength(3);
      expect(claims.filter((c) => c.ok && c.lastChance)).toHaveLength(1);
      expect(claims.filter((c) => !c.ok && c.reason === "account_locked")).toHaveLength(3);
      expect(claims.filter((c) => !c.ok && c.reason === "rate_limited")).toHaveLength(4);
      expect(await limiters[1]!.accountLockedUntil(accountKey("ann", 0))).toBeNull();
    });
  });
});
