import { describe, expect, it } from "vitest";
import { judgedTail, linearFit } from "@/tests/bench/soak-fit";

describe("soak:wall's judgement", () => {
  it("fits a line through the samples", () => {
    const fit = linearFit([0, 1, 2, 3], [10, 12, 14, 16]);
    expect(fit?.slope).toBeCloseTo(2);
    expect(fit?.intercept).toBeCloseTo(10);
  });

  it("finds no slope in flat noise around a level", () => {
    expect(linearFit([0, 1, 2, 3, 4, 5], [100, 102, 98, 101, 99, 100])!.slope).toBeCloseTo(
      -0.171,
      2,
    );
  });

  it("has no line without two distinct x", () => {
    expect(linearFit([], [])).toBeNull();
    expect(linearFit([1], [5])).toBeNull();
    expect(linearFit([2, 2], [5, 6])).toBeNull();
  });

  it("judges the last two thirds, at least two samples", () => {
    expect(judgedTail([1, 2, 3, 4, 5, 6])).toEqual([3, 4, 5, 6]);
    expect(judgedTail([1, 2, 3, 4, 5])).toEqual([2, 3, 4, 5]);
    expect(judgedTail([1, 2])).toEqual([1, 2]);
    expect(judgedTail([1])).toEqual([1]);
  });
});
