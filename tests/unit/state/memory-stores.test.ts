import { describe, expect, it } from "vitest";
import { MemoryIdempotencyStore } from "@/server/state/idempotency";
import { MemoryLockStore } from "@/server/state/locks";

function clock(start = 1_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe("MemoryLockStore: one holder per key, with owner and expiry", () => {
  it("refuses a second owner and names the holder", async () => {
    const c = clock();
    const locks = new MemoryLockStore(c.now);
    const first = await locks.acquire("call-1", "u1", "Alice", 5000);
    expect(first.ok).toBe(true);
    const second = await locks.acquire("call-1", "u2", "Bob", 5000);
    expect(second).toEqual({
      ok: false,
      holder: { owner: "u1", label: "Alice", acquiredAt: 1000, expiresAt: 6000 },
    });
    expect((await locks.acquire("call-2", "u2", "Bob", 5000)).ok).toBe(true);
  });

  it("concurrent acquires: exactly one wins", async () => {
    const locks = new MemoryLockStore();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => locks.acquire("k", `u${i}`, `U${i}`, 1000)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it("expires, and an expired holder's token no longer releases or extends", async () => {
    const c = clock();
    const locks = new MemoryLockStore(c.now);
    const first = await locks.acquire("k", "u1", "Alice", 1000);
    if (!first.ok) throw new Error("not acquired");
    c.advance(1000);
    expect(await locks.holder("k")).toBeUndefined();
    const second = await locks.acquire("k", "u2", "Bob", 1000);
    if (!second.ok) throw new Error("not acquired after expiry");
    expect(await locks.release("k", first.token)).toBe(false);
    expect(await locks.extend("k", first.token, 5000)).toBe(false);
    expect((await locks.holder("k"))?.owner).toBe("u2");
    expect(await locks.extend("k", second.token, 5000)).toBe(true);
    c.advance(4000);
    expect((await locks.holder("k"))?.owner).toBe("u2");
    expect(await locks.release("k", second.token)).toBe(true);
    expect(await locks.holder("k")).toBeUndefined();
  });
});

describe("MemoryIdempotencyStore: the first request runs, repeats get its result", () => {
  it("new, then pending while it runs, then the stored result", async () => {
    const store = new MemoryIdempotencyStore();
    expect(await store.begin("key", 60_000)).toEqual({ state: "new" });
    expect(await store.begin("key", 60_000)).toEqual({ state: "pending" });
    await store.complete("key", '{"ok":true}', 60_000);
    expect(await store.begin("key", 60_000)).toEqual({ state: "done", result: '{"ok":true}' });
  });

  it("concurrent begins: exactly one is new", async () => {
    const store = new MemoryIdempotencyStore();
    const claims = await Promise.all(Array.from({ length: 20 }, () => store.begin("k", 1000)));
    expect(claims.filter((c) => c.state === "new")).toHaveLength(1);
  });

  it("an abandoned claim may run again; a completed one may not be abandoned", async () => {
    const store = new MemoryIdempotencyStore();
    await store.begin("a", 1000);
    await store.abandon("a");
    expect(await store.begin("a", 1000)).toEqual({ state: "new" });
    await store.complete("a", "1", 1000);
    await store.abandon("a");
    expect(await store.begin("a", 1000)).toEqual({ state: "done", result: "1" });
  });

  it("a key outlives the request by its ttl, then expires and is swept", async () => {
    const c = clock();
    const store = new MemoryIdempotencyStore(c.now, 3);
    await store.begin("k", 1000);
    await store.complete("k", "r", 1000);
    c.advance(999);
    expect(await store.begin("k", 1000)).toEqual({ state: "done", result: "r" });
    c.advance(1);
    expect(await store.begin("k", 1000)).toEqual({ state: "new" });
  });
});
