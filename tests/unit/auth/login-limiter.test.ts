import { RateLimiterMemory, type RateLimiterRes } from "rate-limiter-flexible";
import { describe, expect, it } from "vitest";
import {
  accountKey,
  createLoginLimiter,
  isRefusal,
  type TRateLimiterFactory,
} from "@/server/state/login-limiter";

const CONFIG = {
  AUTH_IP_MAX_FAILURES: 6,
  AUTH_IP_WINDOW_MINUTES: 15,
  AUTH_MAX_FAILED_LOGINS: 3,
  AUTH_ACCOUNT_MAX_FAILURES: 4,
  AUTH_LOCKOUT_MINUTES: 15,
};

describe("[AUTH] login limiter (in memory)", () => {
  it("counts concurrent claims exactly: never more than the limits pass", async () => {
    const limiter = createLoginLimiter(CONFIG);
    const account = { key: accountKey("Ann", 0), knownSource: false };
    const claims = await Promise.all(
      Array.from({ length: 10 }, () => limiter.claim({ address: "a1", account })),
    );
    const passed = claims.filter((c) => c.ok);
    expect(passed).toHaveLength(3);
    expect(passed.filter((c) => c.ok && c.lastChance)).toHaveLength(1);
    expect(claims.filter((c) => !c.ok && c.reason === "account_locked")).toHaveLength(3);
    expect(claims.filter((c) => !c.ok && c.reason === "rate_limited")).toHaveLength(4);
  });

  it("a released (successful) attempt is not a failure", async () => {
    const limiter = createLoginLimiter(CONFIG);
    const attempt = { address: "a2", account: { key: accountKey("bo", 0), knownSource: false } };
    for (let i = 0; i < 10; i += 1) {
      expect((await limiter.claim(attempt)).ok).toBe(true);
      await limiter.release(attempt);
    }
  });

  it("locks the account to unknown addresses only, and a new credential version starts afresh", async () => {
    const limiter = createLoginLimiter(CONFIG);
    const key = accountKey("cy", 0);
    for (let i = 0; i < 4; i += 1)
      await limiter.claim({ address: `b${i}`, account: { key, knownSource: false } });
    expect(await limiter.accountLockedUntil(key)).toBeInstanceOf(Date);
    expect(
      await limiter.claim({ address: "new", account: { key, knownSource: false } }),
    ).toMatchObject({
      ok: false,
      reason: "account_locked",
    });
    expect(
      await limiter.claim({ address: "home", account: { key, knownSource: true } }),
    ).toMatchObject({
      ok: true,
    });
    expect(
      await limiter.claim({
        address: "new",
        account: { key: accountKey("cy", 1), knownSource: false },
      }),
    ).toMatchObject({ ok: true });
  });

  it("a refusal from another copy of rate-limiter-flexible is a refusal, not a store failure", async () => {
    // What Next.js's server bundle sees: the app's node state made the limiters with its own copy
    // of the package, so their refusals are RateLimiterRes objects of another class.
    class OtherCopyRes {
      constructor(
        readonly remainingPoints: number,
        readonly msBeforeNext: number,
        readonly consumedPoints: number,
        readonly isFirstInDuration: boolean,
      ) {}
    }
    const otherCopy: TRateLimiterFactory = (options) => {
      const limiter = new RateLimiterMemory(options);
      const consume = limiter.consume.bind(limiter);
      limiter.consume = (key, points, opts) =>
        consume(key, points, opts).catch((res: RateLimiterRes) =>
          Promise.reject(
            new OtherCopyRes(
              res.remainingPoints,
              res.msBeforeNext,
              res.consumedPoints,
              res.isFirstInDuration,
            ),
          ),
        );
      return limiter;
    };
    const limiter = createLoginLimiter(CONFIG, otherCopy);
    const attempt = { address: "c1", account: { key: accountKey("dee", 0), knownSource: false } };
    for (let i = 0; i < 3; i += 1) expect((await limiter.claim(attempt)).ok).toBe(true);
    expect(await limiter.claim(attempt)).toMatchObject({ ok: false, reason: "account_locked" });
    const other = { address: "c1", account: { key: accountKey("eve", 0), knownSource: false } };
    for (let i = 0; i < 2; i += 1) await limiter.claim(other);
    expect(await limiter.claim(other)).toMatchObject({ ok: false, reason: "rate_limited" });
  });

  it("a store failure is not taken for a refusal", async () => {
    expect(isRefusal(new Error("redis is away"))).toBe(false);
    expect(
      isRefusal(
        Object.assign(new Error("odd"), { remainingPoints: 0, msBeforeNext: 1, consumedPoints: 1 }),
      ),
    ).toBe(false);
    expect(isRefusal({ remainingPoints: 0 })).toBe(false);
    expect(isRefusal(null)).toBe(false);
    const failing: TRateLimiterFactory = (options) => {
      const limiter = new RateLimiterMemory(options);
      limiter.consume = () => Promise.reject(new Error("store down"));
      return limiter;
    };
    await expect(createLoginLimiter(CONFIG, failing).claim({ address: "c2" })).rejects.toThrow(
      "store down",
    );
  });
});
