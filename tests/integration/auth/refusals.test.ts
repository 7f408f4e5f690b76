import { describe, expect, it } from "vitest";
import { prepareAuthEnvironment, requestHeaders } from "./harness";

prepareAuthEnvironment({ AUTH_IP_MAX_FAILURES: "3", AUTH_IP_WINDOW_MINUTES: "15" });

const { db } = await import("@/server/db");
const { signIn } = await import("@/server/auth/sign-in");
const { exchangeDisplayToken } = await import("@/server/auth/display");
const { readAuditEvents } = await import("@/server/audit/log");

const attempt = (ip: string, i: number) =>
  signIn({ username: `nobody${i}`, password: "wrong" }, requestHeaders({ cookie: "", ip }), {
    ip,
    userAgent: "vitest",
  });

/** Refusals the rows of `ip` stand for: one per failure row, `count` per aggregate row. */
async function rowsOf(ip: string) {
  const { events } = await readAuditEvents({ companies: "all", limit: 500 });
  const mine = events.filter((e) => e.ip === ip);
  const refused = mine.reduce(
    (sum, e) =>
      sum +
      (e.type === "login.failed" && e.data.reason === "rate_limited"
        ? 1
        : "count" in e.data && typeof e.data.count === "number"
          ? e.data.count
          : 0),
    0,
  );
  return { rows: mine.length, refused };
}

describe("[AUDIT] refusals of an address over its limit are recorded in aggregate", () => {
  it("40 refused sign-ins write one row at once and one with the rest of the count", async () => {
    for (let i = 0; i < 3; i += 1) await attempt("10.8.0.1", i);
    const before = await db().auditEvent.count();
    for (let i = 0; i < 40; i += 1)
      expect(await attempt("10.8.0.1", i)).toMatchObject({ ok: false, code: "rate_limited" });
    expect(await db().auditEvent.count()).toBe(before + 1);
    const { flushRefusals } = await import("@/server/auth/refusals");
    await flushRefusals();
    expect(await rowsOf("10.8.0.1")).toEqual({ rows: 3 + 2, refused: 40 });
  });

  it("refused display links are aggregated the same way", async () => {
    for (let i = 0; i < 3; i += 1)
      await exchangeDisplayToken(`fwd_bad${i}`, { ip: "10.8.0.2", userAgent: "wall" });
    const before = await db().auditEvent.count();
    for (let i = 0; i < 20; i += 1)
      expect(
        await exchangeDisplayToken("fwd_bad", { ip: "10.8.0.2", userAgent: "wall" }),
      ).toMatchObject({
        ok: false,
        code: "rate_limited",
      });
    expect(await db().auditEvent.count()).toBe(before + 1);
  });
});
