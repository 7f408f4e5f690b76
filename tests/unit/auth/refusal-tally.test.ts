import { describe, expect, it } from "vitest";
import { createRefusalTally } from "@/server/state/refusal-tally";

const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 8, minutes));

describe("[AUDIT] refusal tally", () => {
  it("opens a window with the first refusal and hands over the rest when it closes", async () => {
    const tally = createRefusalTally({ AUTH_IP_WINDOW_MINUTES: 15 });
    expect(await tally.note("a", at(0))).toEqual({ opened: true, closed: null });
    for (let m = 1; m <= 5; m += 1)
      expect(await tally.note("a", at(m))).toEqual({ opened: false, closed: null });
    expect(await tally.drain(at(10))).toEqual([]);
    // The next refusal after the window: a new window, and the old one's count to write.
    expect(await tally.note("a", at(20))).toEqual({
      opened: true,
      closed: { key: "a", count: 5, since: at(1) },
    });
    await tally.note("a", at(21));
    await tally.note("b", at(21));
    expect(await tally.drain(at(40))).toEqual([{ key: "a", count: 1, since: at(21) }]);
    expect(await tally.drain()).toEqual([]);
  });

  it("hands over every count when stopping", async () => {
    const tally = createRefusalTally({ AUTH_IP_WINDOW_MINUTES: 15 });
    await tally.note("a", at(0));
    await tally.note("a", at(1));
    expect(await tally.drain()).toEqual([{ key: "a", count: 1, since: at(1) }]);
  });
});
