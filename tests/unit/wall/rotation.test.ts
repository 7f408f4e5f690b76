import { describe, expect, it } from "vitest";
import { rotate, Rotator, wallPages } from "@/lib/wall/rotation";

const keys = (pages: { key: string }[]) => pages.map((p) => p.key);

describe("wallPages", () => {
  it("shows the summary alone when rotation is off", () => {
    expect(keys(wallPages(0, 3))).toEqual(["summary"]);
  });

  it("rotates summary, each skills screen, longest and history", () => {
    expect(keys(wallPages(20, 2))).toEqual([
      "summary",
      "skills-0",
      "skills-1",
      "longest",
      "history",
    ]);
    expect(keys(wallPages(20, 0))).toEqual(["summary", "skills-0", "longest", "history"]);
  });
});

describe("rotate", () => {
  const pages = wallPages(10, 2);

  it("starts on the first page and moves on after rotateSeconds", () => {
    const start = rotate(undefined, pages, 10, 1000);
    expect(start).toEqual({ key: "summary", shownAt: 1000 });
    expect(rotate(start, pages, 10, 10_999)).toBe(start);
    expect(rotate(start, pages, 10, 11_000)).toEqual({ key: "skills-0", shownAt: 11_000 });
  });

  it("begins at the first page of the start kind when the rotation has one", () => {
    expect(rotate(undefined, pages, 10, 0, "skills").key).toBe("skills-0");
    expect(rotate(undefined, pages, 10, 0, "history").key).toBe("history");
    expect(rotate(undefined, wallPages(0, 2), 0, 0, "history").key).toBe("summary");
    const rotator = new Rotator("longest");
    expect(rotator.current(pages, 10, 1).key).toBe("longest");
    expect(rotator.current(pages, 10, 10_001).key).toBe("history");
  });

  it("does not start the rotation's clock at an unknown time (0, the server's render)", () => {
    const rotator = new Rotator("history");
    expect(rotator.current(pages, 10, 0).key).toBe("history");
    expect(rotator.current(pages, 10, 1_700_000_000_000).key).toBe("history");
    expect(rotator.current(pages, 10, 1_700_000_009_999).key).toBe("history");
    expect(rotator.current(pages, 10, 1_700_000_010_000).key).toBe("summary");
  });

  it("wraps around after the last page", () => {
    expect(rotate({ key: "history", shownAt: 0 }, pages, 10, 10_000).key).toBe("summary");
  });

  it("stays put when rotation is off", () => {
    const state = { key: "summary" as const, shownAt: 0 };
    expect(rotate(state, wallPages(0, 2), 0, 1_000_000)).toBe(state);
  });

  it("goes back to the first page when its page left the list", () => {
    const state = { key: "skills-1" as const, shownAt: 0 };
    expect(rotate(state, wallPages(10, 1), 10, 5000)).toEqual({ key: "summary", shownAt: 5000 });
  });

  it("Rotator keeps the state between calls and returns the page", () => {
    const rotator = new Rotator();
    expect(rotator.current(pages, 10, 1).key).toBe("summary");
    expect(rotator.current(pages, 10, 10_001).key).toBe("skills-0");
    expect(rotator.current(pages, 10, 10_001).key).toBe("skills-0");
    const next = rotator.current(pages, 10, 20_001);
    expect(next).toEqual({ key: "skills-1", kind: "skills", screen: 1, screens: 2 });
  });
});
