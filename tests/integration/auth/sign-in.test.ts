import { beforeAll, describe, expect, it } from "vitest";
import { prepareAuthEnvironment, requestHeaders } from "./harness";

prepareAuthEnvironment({
  AUTH_MAX_FAILED_LOGINS: "3",
  AUTH_IP_MAX_FAILURES: "5",
  AUTH_IP_WINDOW_MINUTES: "15",
});

const { db } = await import("@/server/db");
const { insertUser } = await import("@/server/auth/users");
const { signIn } = await import("@/server/auth/sign-in");
const { viewerFromHeaders } = await import("@/server/auth/viewer-lookup");
const { appendAuditEvent, readAuditEvents } = await import("@/server/audit/log");
const { seedAccounts } = await import("@/server/auth/seed");
const { logger } = await import("@/server/log");

const PASSWORD = "sign-in-password-1";
const attempt = (username: string, password: string, ip: string) =>
  signIn({ username, password }, requestHeaders({ cookie: "", ip }), { ip, userAgent: "vitest" });

beforeAll(async () => {
  for (const name of ["alice", "bob", "carol"]) {
    await insertUser(
      {
        username: name,
        password: PASSWORD,
        role: "viewer",
        companyCode: "90001",
        allCompanies: false,
      },
      { kind: "system" },
      { ip: null, userAgent: null },
    );
  }
});

describe("[AUTH] sign-in", () => {
  it("stores only a scrypt hash and signs in with the right password", async () => {
    const account = await db().account.findFirstOrThrow({ where: { user: { username: "alice" } } });
    expect(account.password).not.toContain(PASSWORD);
    expect(account.password).toMatch(/^[0-9a-f]+:[0-9a-f]+$/);
    const result = await attempt("Alice", PASSWORD, "10.2.0.1");
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const cookie = result.data.setCookies.find((c) => c.startsWith("floorwatch.session_token="));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Max-Age=43200/);
    const session = await db().session.findFirstOrThrow({ where: { user: { username: "alice" } } });
    expect(session.expiresAt.getTime() - Date.now()).toBeGreaterThan(11.9 * 3600_000);
  });

  it("locks the account to an address after its failures there, even for the right password", async () => {
    for (let i = 0; i < 2; i += 1)
      expect(await attempt("bob", "wrong-password", "10.2.0.2")).toEqual({
        ok: false,
        code: "invalid_credentials",
      });
    expect(await attempt("bob", "wrong-password", "10.2.0.2")).toEqual({
      ok: false,
      code: "account_locked",
    });
    expect(await attempt("bob", PASSWORD, "10.2.0.2")).toEqual({
      ok: false,
      code: "account_locked",
    });
    const failures = await readAuditEvents({ companies: ["90001"], types: ["login.failed"] });
    expect(
      failures.events
        .filter((e) => e.type === "login.failed" && e.data.username === "bob")
        .map((e) => e.type === "login.failed" && e.data.reason),
    ).toEqual(["account_locked", "account_locked", "invalid_credentials", "invalid_credentials"]);
  });

  it("rate limits an address after too many failures, whatever the account", async () => {
    for (let i = 0; i < 5; i += 1) await attempt(`nobody${i}`, "x", "10.2.0.9");
    expect(await attempt("carol", PASSWORD, "10.2.0.9")).toEqual({
      ok: false,
      code: "rate_limited",
    });
    expect((await attempt("carol", PASSWORD, "10.2.0.10")).ok).toBe(true);
  });

  it("refuses disabled users, and their sessions stop working", async () => {
    const ok = await attempt("carol", PASSWORD, "10.2.0.11");
    if (!ok.ok) throw new Error("sign-in failed");
    const headers = requestHeaders({
      cookie: ok.data.setCookies.map((c) => c.split(";")[0]).join("; "),
      ip: "10.2.0.11",
    });
    expect(await viewerFromHeaders(headers)).toMatchObject({
      name: "carol",
      role: "viewer",
      companies: ["90001"],
    });
    await db().user.update({ where: { username: "carol" }, data: { disabled: true } });
    expect(await viewerFromHeaders(headers)).toBeNull();
    expect(await attempt("carol", PASSWORD, "10.2.0.12")).toEqual({
      ok: false,
      code: "invalid_credentials",
    });
  });

  it("refuses a forged session cookie", async () => {
    const forged = requestHeaders({
      cookie: "floorwatch.session_token=abc.def; floorwatch.display=fws_nothing",
      ip: "10.2.0.13",
    });
    expect(await viewerFromHeaders(forged)).toBeNull();
  });
});

describe("[AUDIT] append-only log", () => {
  it("validates on write and the database refuses updates and deletes", async () => {
    await expect(
      appendAuditEvent({
        type: "logout",
        data: { userId: 1 } as never,
        actor: { kind: "system" },
        companyCode: null,
        ip: null,
        userAgent: null,
      }),
    ).rejects.toThrow();
    const { id } = await appendAuditEvent({
      type: "logout",
      data: { userId: "u", username: "x" },
      actor: { kind: "system" },
      companyCode: "90001",
      ip: null,
      userAgent: null,
    });
    const count = await db().auditEvent.count();
    // The trigger's RAISE(ABORT) surfaces through Prisma as a constraint violation.
    await expect(
      db().auditEvent.update({ where: { id }, data: { type: "login.succeeded" } }),
    ).rejects.toThrow();
    await expect(db().auditEvent.delete({ where: { id } })).rejects.toThrow();
    await expect(db().auditEvent.deleteMany({})).rejects.toThrow();
    await expect(
      db().$executeRawUnsafe(`UPDATE "AuditEvent" SET "data" = '{}' WHERE "id" = ${id}`),
    ).rejects.toThrow();
    expect(await db().auditEvent.count()).toBe(count);
    expect(await db().auditEvent.findUniqueOrThrow({ where: { id } })).toMatchObject({
      type: "logout",
      data: '{"userId":"u","username":"x"}',
    });
  });

  it("reports rows that no longer match their schema instead of returning them", async () => {
    await db().auditEvent.create({
      data: {
        type: "login.succeeded",
        actorKind: "system",
        companyCode: "90009",
        data: '{"nope":1}',
      },
    });
    const page = await readAuditEvents({ companies: ["90009"] });
    expect(page.events).toEqual([]);
    expect(page.invalid).toHaveLength(1);
  });
});

describe("[AUTH] first start", () => {
  it("creates the admin once with a printed password, and the demo accounts with the simulator", async () => {
    const printed: string[] = [];
    const log = logger();
    await seedAccounts({
      companies: ["90001", "90002"],
      embeddedSimulator: true,
      log,
      print: (t) => printed.push(t),
    });
    await seedAccounts({
      companies: ["90001", "90002"],
      embeddedSimulator: true,
      log,
      print: (t) => printed.push(t),
    });
    expect(printed).toHaveLength(1);
    const password = /admin \/ (\S+)/.exec(printed[0] ?? "")?.[1];
    expect(password).toBeDefined();
    expect((await attempt("admin", password ?? "", "10.3.0.1")).ok).toBe(true);
    const supervisor = await db().user.findUniqueOrThrow({ where: { username: "supervisor" } });
    expect(supervisor).toMatchObject({
      role: "supervisor",
      companyCode: "90001",
      ctiAgentId: "90001_20004",
      ctiExtId: "90001_20004",
    });
    expect(await db().user.findUniqueOrThrow({ where: { username: "admin" } })).toMatchObject({
      role: "admin",
      allCompanies: true,
    });
  });
});
