import { describe, expect, it } from "vitest";
import { FailureWindow } from "@/server/auth/rate-limit";

describe("[AUTH] failure window", () => {
  it("blocks a key after max failures and frees it when the window has passed", () => {
    const window = new FailureWindow(3, 60_000);
    const t0 = 1_000_000;
    window.record("1.2.3.4", t0);
    window.record("1.2.3.4", t0 + 1000);
    expect(window.blocked("1.2.3.4", t0 + 2000)).toBe(false);
    window.record("1.2.3.4", t0 + 2000);
    expect(window.blocked("1.2.3.4", t0 + 2000)).toBe(true);
    expect(window.retryAfterSeconds("1.2.3.4", t0 + 2000)).toBe(58);
    expect(window.blocked("5.6.7.8", t0 + 2000)).toBe(false);
    expect(window.blocked("1.2.3.4", t0 + 60_001)).toBe(false);
    expect(window.retryAfterSeconds("1.2.3.4", t0 + 60_001)).toBe(0);
  });
});
