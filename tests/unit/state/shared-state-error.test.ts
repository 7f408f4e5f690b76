import { describe, expect, it, vi } from "vitest";

/**
 * Under `npm start` the shared-state stores come from server/index.ts's module graph while
 * sign-in and the actions run in Next.js's server bundle, which holds a second copy of
 * server/state/shared-state-error.ts: an error thrown by one copy must be recognised by the other.
 */
describe("[STATE] SharedStateError across copies of its module", () => {
  it("is recognised by instanceof of another copy of the module", async () => {
    const first = await import("@/server/state/shared-state-error");
    vi.resetModules();
    const second = await import("@/server/state/shared-state-error");
    expect(second.SharedStateError).not.toBe(first.SharedStateError);
    const error = new first.SharedStateError("lock", new Error("ECONNREFUSED"));
    expect(error instanceof second.SharedStateError).toBe(true);
    expect(error instanceof Error).toBe(true);
    expect(new Error("other") instanceof second.SharedStateError).toBe(false);
    expect((null as unknown) instanceof second.SharedStateError).toBe(false);
    // shared() of the second copy passes the first copy's error on as it is.
    await expect(second.shared("read", () => Promise.reject(error))).rejects.toBe(error);
  });
});
