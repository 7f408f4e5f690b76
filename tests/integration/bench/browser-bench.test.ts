import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/**
 * `npm run bench:browser` stops itself past BENCH_DEADLINE_SECONDS, taking the dashboard it
 * started down with it. SKIP_BUILD=1 keeps that dashboard from starting a `next build`; 3 s is far
 * less than it needs to become healthy, so the bench is still waiting when the deadline comes.
 */
function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, "utf8").includes(`=${marker}\0`))
        found.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

describe("[BENCH] bench:browser", () => {
  it("stops itself and its dashboard past its deadline, exiting 124", async () => {
    const marker = `browser-deadline-${process.pid}`;
    const started = Date.now();
    const child = spawn(process.execPath, ["--import", "tsx", "tests/bench/browser.ts"], {
      env: {
        ...process.env,
        BENCH_DEADLINE_SECONDS: "3",
        SKIP_BUILD: "1",
        FLOORWATCH_BENCH_TEST_RUN: marker,
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const limit = setTimeout(() => child.kill("SIGKILL"), 20_000);
    const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
    clearTimeout(limit);
    expect(code, stderr.slice(-300)).toBe(124);
    expect((Date.now() - started) / 1000).toBeLessThan(15);
    expect(stderr).toContain("exceeded its deadline of 3 s");
    await expect.poll(() => processesWith(marker), { timeout: 10_000 }).toEqual([]);
  }, 40_000);
});
