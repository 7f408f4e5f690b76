import { describe, expect, it } from "vitest";
import { backoffDelay } from "@/server/cti/backoff";

describe("backoffDelay", () => {
  it("grows exponentially up to the cap, with full jitter", () => {
    expect(backoffDelay(0, 500, 30_000, () => 0.999)).toBe(499);
    expect(backoffDelay(3, 500, 30_000, () => 0.999)).toBe(3996);
    expect(backoffDelay(20, 500, 30_000, () => 0.999)).toBe(29_970);
    expect(backoffDelay(1000, 500, 30_000, () => 0.5)).toBe(15_000);
    expect(backoffDelay(5, 500, 30_000, () => 0)).toBe(0);
  });
});
