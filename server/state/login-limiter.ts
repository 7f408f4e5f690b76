import "server-only";
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { TAuthConfig } from "../auth/config";
import { processGlobals } from "../globals";
import { services } from "../services";

/** The settings it needs (server/auth/config.ts, documented in docs/security.md). */
export type TLoginLimitConfig = Pick<
  TAuthConfig,
  | "AUTH_IP_MAX_FAILURES"
  | "AUTH_IP_WINDOW_MINUTES"
  | "AUTH_MAX_FAILED_LOGINS"
  | "AUTH_ACCOUNT_MAX_FAILURES"
  | "AUTH_LOCKOUT_MINUTES"
>;

/** One attempt: where from and, for a sign-in, which account (username and credential version). */
export interface TLoginAttempt {
  address: string;
  account?: {
    key: string;
    /** The address signed in to this account before: the account-wide lock does not apply. */
    knownSource: boolean;
  };
}

export type TLoginClaim =
  | {
      ok: true;
      /** This attempt used the last failure allowed: if it fails, the account is locked to it. */
      lastChance: boolean;
    }
  | { ok: false; reason: "rate_limited" | "account_locked"; retryAfterSeconds: number };

/**
 * Sign-in and display-link limits. Each attempt is counted before the slow password check,
 * atomically, so concurrent attempts can never pass a limit; a success gives its count back.
 * Counted in this node's memory, or with REDIS_URL in Redis for every node at once
 * (rate-limiter-flexible's RateLimiterRedis: server/state/node-state.ts).
 */
export interface TLoginLimiter {
  claim(attempt: TLoginAttempt): Promise<TLoginClaim>;
  /** The attempt succeeded: it is not a failure. */
  release(attempt: TLoginAttempt): Promise<void>;
  /** Until when the account is locked to unknown addresses, or null. */
  accountLockedUntil(accountKey: string): Promise<Date | null>;
}

type TLimiters = {
  address: RateLimiterAbstract;
  source: RateLimiterAbstract;
  account: RateLimiterAbstract;
};

/** One rate-limiter-flexible limiter, in whichever store the node state counts (memory, Redis). */
export type TRateLimiterFactory = (options: {
  keyPrefix: string;
  points: number;
  duration: number;
}) => RateLimiterAbstract;

export const memoryRateLimiter: TRateLimiterFactory = (options) => new RateLimiterMemory(options);

/** rate-limiter-flexible's limiters of any store. */
class FlexibleLoginLimiter implements TLoginLimiter {
  constructor(private readonly limiters: TLimiters) {}

  async claim(attempt: TLoginAttempt): Promise<TLoginClaim> {
    const address = await this.consume(this.limiters.address, attempt.address);
    if (!address.ok)
      return { ok: false, reason: "rate_limited", retryAfterSeconds: address.retryAfterSeconds };
    if (!attempt.account) return { ok: true, lastChance: false };
    const source = await this.consume(this.limiters.source, sourceKey(attempt));
    if (!source.ok)
      return { ok: false, reason: "account_locked", retryAfterSeconds: source.retryAfterSeconds };
    if (attempt.account.knownSource) return { ok: true, lastChance: source.last };
    const account = await this.consume(this.limiters.account, attempt.account.key);
    if (!account.ok)
      return { ok: false, reason: "account_locked", retryAfterSeconds: account.retryAfterSeconds };
    return { ok: true, lastChance: source.last || account.last };
  }

  async release(attempt: TLoginAttempt): Promise<void> {
    await this.limiters.address.reward(attempt.address);
    if (!attempt.account) return;
    await this.limiters.source.reward(sourceKey(attempt));
    if (!attempt.account.knownSource) await this.limiters.account.reward(attempt.account.key);
  }

  async accountLockedUntil(accountKey: string): Promise<Date | null> {
    const state = await this.limiters.account.get(accountKey);
    if (!state || state.remainingPoints > 0) return null;
    return new Date(Date.now() + state.msBeforeNext);
  }

  private async consume(
    limiter: RateLimiterAbstract,
    key: string,
  ): Promise<{ ok: true; last: boolean } | { ok: false; retryAfterSeconds: number }> {
    try {
      const res = await limiter.consume(key);
      return { ok: true, last: res.remainingPoints === 0 };
    } catch (rejection) {
      // A refusal comes as a RateLimiterRes; anything else (a store failure) propagates.
      if (!isRefusal(rejection)) throw rejection;
      return {
        ok: false,
        retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)),
      };
    }
  }
}

/**
 * rate-limiter-flexible refuses by rejecting with a RateLimiterRes, and fails with an Error.
 * `instanceof` alone cannot tell them apart: the limiters are made by the running app's node state
 * (server/state/node-state.ts, loaded by server/index.ts), while the server actions and routes
 * that call this run in Next.js's server bundle, which carries its own copy of the package, with
 * its own RateLimiterRes class. A refusal made by the other copy is no instance of this one's: it
 * was rethrown as a store failure, so a locked account's next attempt (or an address over its
 * limit) got "Something went wrong on the server" instead of its refusal, and went unaudited.
 * So a refusal is recognised by its shape too.
 */
export function isRefusal(value: unknown): value is RateLimiterRes {
  if (value instanceof RateLimiterRes) return true;
  if (typeof value !== "object" || value === null || value instanceof Error) return false;
  const res = value as Partial<Record<keyof RateLimiterRes, unknown>>;
  return (
    typeof res.remainingPoints === "number" &&
    typeof res.msBeforeNext === "number" &&
    typeof res.consumedPoints === "number"
  );
}

/** Limits are counted per account and credential version: a password reset lifts them. */
export function accountKey(username: string, credentialVersion: number): string {
  return `${username.toLowerCase()}#${credentialVersion}`;
}

function sourceKey(attempt: TLoginAttempt): string {
  return `${attempt.account?.key ?? ""}|${attempt.address}`;
}

/** The limits, counted by limiters that `store` makes (this process's memory by default). */
export function createLoginLimiter(
  config: TLoginLimitConfig,
  store: TRateLimiterFactory = memoryRateLimiter,
): TLoginLimiter {
  const lockoutSeconds = config.AUTH_LOCKOUT_MINUTES * 60;
  return new FlexibleLoginLimiter({
    // Failures per address, whatever the account.
    address: store({
      keyPrefix: "login-address",
      points: config.AUTH_IP_MAX_FAILURES,
      duration: config.AUTH_IP_WINDOW_MINUTES * 60,
    }),
    // Failures on one account from one address.
    source: store({
      keyPrefix: "login-source",
      points: config.AUTH_MAX_FAILED_LOGINS,
      duration: lockoutSeconds,
    }),
    // Failures on one account from every address it was never signed in from.
    account: store({
      keyPrefix: "login-account",
      points: config.AUTH_ACCOUNT_MAX_FAILURES,
      duration: lockoutSeconds,
    }),
  });
}

/**
 * One limiter per process, on the process globals (the Next.js bundles and server/index.ts each
 * have their own copy of this module), counting in the running app's node state (Redis when
 * several nodes share it) or in memory before an app runs. Made again only if the limits or
 * the store differ (tests).
 */
export function loginLimiter(config: TLoginLimitConfig): TLoginLimiter {
  const holder = processGlobals();
  const store = services()?.state.rateLimiter ?? memoryRateLimiter;
  const settings = JSON.stringify([
    config.AUTH_IP_MAX_FAILURES,
    config.AUTH_IP_WINDOW_MINUTES,
    config.AUTH_MAX_FAILED_LOGINS,
    config.AUTH_ACCOUNT_MAX_FAILURES,
    config.AUTH_LOCKOUT_MINUTES,
  ]);
  if (holder.loginLimiter?.settings !== settings || holder.loginLimiter.store !== store)
    holder.loginLimiter = { settings, store, limiter: createLoginLimiter(config, store) };
  return holder.loginLimiter.limiter;
}
