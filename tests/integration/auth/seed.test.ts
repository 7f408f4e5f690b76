import pino from "pino";
import { describe, expect, it } from "vitest";
import { cookieHeader, prepareAuthEnvironment, requestHeaders } from "./harness";

prepareAuthEnvironment({
  ADMIN_PASSWORD: "seed-admin-password-1",
  DEMO_PASSWORD: "demo-password-1",
});

const { db } = await import("@/server/db");
const { seedAccounts } = await import("@/server/auth/seed");
const { signIn } = await import("@/server/auth/sign-in");
const { viewerFromHeaders } = await import("@/server/auth/viewer-lookup");

const lines: string[] = [];
const log = pino({ level: "info" }, { write: (line: string) => void lines.push(line) });
const attempt = (username: string, ip: string) =>
  signIn({ username, password: "demo-password-1" }, requestHeaders({ cookie: "", ip }), {
    ip,
    userAgent: "vitest",
  });

describe("[AUTH] demo accounts only with the embedded simulator", () => {
  it("a start against a real CTI disables the demo accounts, ends their sessions and says so", async () => {
    await seedAccounts({ companies: ["90001"], embeddedSimulator: true, log });
    const signedIn = await attempt("supervisor", "10.10.0.1");
    if (!signedIn.ok) throw new Error(`demo sign-in failed: ${signedIn.code}`);
    const session = requestHeaders({
      cookie: cookieHeader(signedIn.data.setCookies),
      ip: "10.10.0.1",
    });
    expect(await viewerFromHeaders(session)).toMatchObject({ name: "supervisor" });

    lines.length = 0;
    await seedAccounts({ companies: ["90001"], embeddedSimulator: false, log });
    expect(await viewerFromHeaders(session)).toBeNull();
    expect(await db().session.count({ where: { user: { username: "supervisor" } } })).toBe(0);
    expect(await attempt("supervisor", "10.10.0.2")).toMatchObject({ ok: false });
    expect(await attempt("viewer", "10.10.0.3")).toMatchObject({ ok: false });
    expect(
      await db().user.findMany({
        where: { demo: true },
        select: { username: true, disabled: true },
      }),
    ).toEqual(
      expect.arrayContaining([
        { username: "supervisor", disabled: true },
        { username: "viewer", disabled: true },
      ]),
    );
    const warning = lines
      .map((l) => JSON.parse(l) as { level: number; msg: string })
      .find((l) => l.level === 40);
    expect(warning?.msg).toMatch(/demo accounts .*disabled/i);
    // The admin is no demo account.
    expect((await db().user.findUniqueOrThrow({ where: { username: "admin" } })).disabled).toBe(
      false,
    );
  });
});
