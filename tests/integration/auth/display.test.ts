import { beforeAll, describe, expect, it } from "vitest";
import type { TViewer } from "@/lib/auth/viewer";
import { prepareAuthEnvironment, requestHeaders } from "./harness";

prepareAuthEnvironment({ DISPLAY_SESSION_TTL_DAYS: "30" });

const { db } = await import("@/server/db");
const { insertUser } = await import("@/server/auth/users");
const { createDisplayToken, displayViewer, exchangeDisplayToken } =
  await import("@/server/auth/display");
const { signOut } = await import("@/server/auth/sign-in");
const { readAuditEvents } = await import("@/server/audit/log");
const { hashSecret } = await import("@/server/auth/tokens");
const enterRoute = await import("@/app/wall/enter/route");

const NO_META = { ip: null, userAgent: null };
const DAY = 86_400_000;
let admin: TViewer;

beforeAll(async () => {
  const id = await insertUser(
    {
      username: "admin",
      password: "display-password-1",
      role: "admin",
      companyCode: "90001",
      allCompanies: true,
    },
    { kind: "system" },
    NO_META,
  );
  admin = { kind: "user", id, name: "admin", role: "admin", companies: "all" };
});

async function newToken(label: string, expiresInDays?: number): Promise<string> {
  const created = await createDisplayToken(
    admin,
    { label, companyCode: "90001", ...(expiresInDays ? { expiresInDays } : {}) },
    NO_META,
  );
  if (!created.ok) throw new Error("token creation failed");
  return created.data.secret;
}

describe("[AUTH] a display token is a one-time enrolment", () => {
  it("a second exchange of the same token is refused and audited; the first device keeps its session", async () => {
    const secret = await newToken("Wall once");
    const first = await exchangeDisplayToken(secret, { ip: "10.9.0.1", userAgent: "wall" });
    expect(first.ok).toBe(true);
    const second = await exchangeDisplayToken(secret, { ip: "10.9.0.2", userAgent: "laptop" });
    expect(second).toEqual({ ok: false, code: "token_used" });
    const { events } = await readAuditEvents({ companies: ["90001"], limit: 50 });
    expect(
      events.find((e) => e.type === "display_session.refused" && e.ip === "10.9.0.2"),
    ).toMatchObject({ data: { reason: "token_used" }, companyCode: "90001" });
    if (first.ok)
      expect(await displayViewer(first.data.sessionSecret)).toMatchObject({ name: "Wall once" });
    expect(await db().displaySession.count({ where: { token: { label: "Wall once" } } })).toBe(1);
  });

  it("the link opened twice: the second visit lands on /wall?error=token_used without a cookie", async () => {
    const secret = await newToken("Wall link");
    const open = () =>
      enterRoute.GET(
        new Request(`http://127.0.0.1:3399/wall/enter?token=${secret}`, {
          headers: requestHeaders({ cookie: "", ip: "10.9.0.3" }),
        }),
      );
    const first = await open();
    expect(first.headers.get("location")).toBe("/wall");
    // The cookie outlives a fixed session: the server's sliding expiry decides.
    expect(first.headers.get("set-cookie")).toMatch(/Max-Age=(\d+)/);
    const maxAge = Number(/Max-Age=(\d+)/.exec(first.headers.get("set-cookie") ?? "")?.[1]);
    expect(maxAge).toBeGreaterThan(30 * 86_400);
    const second = await open();
    expect(second.headers.get("location")).toBe("/wall?error=token_used");
    expect(second.headers.get("set-cookie")).toBeNull();
  });

  it("the display session renews while in use (sliding), never past the token's expiry", async () => {
    const secret = await newToken("Wall sliding");
    const exchanged = await exchangeDisplayToken(secret, NO_META);
    if (!exchanged.ok) throw new Error("exchange failed");
    const where = { secretHash: hashSecret(exchanged.data.sessionSecret) };
    await db().displaySession.update({ where, data: { expiresAt: new Date(Date.now() + DAY) } });
    expect(await displayViewer(exchanged.data.sessionSecret)).not.toBeNull();
    const renewed = await db().displaySession.findUniqueOrThrow({ where });
    expect(renewed.expiresAt.getTime() - Date.now()).toBeGreaterThan(29 * DAY);

    const capped = await exchangeDisplayToken(await newToken("Wall capped", 2), NO_META);
    if (!capped.ok) throw new Error("exchange failed");
    await displayViewer(capped.data.sessionSecret);
    const row = await db().displaySession.findUniqueOrThrow({
      where: { secretHash: hashSecret(capped.data.sessionSecret) },
      include: { token: true },
    });
    expect(row.expiresAt.getTime()).toBeLessThanOrEqual(row.token.expiresAt?.getTime() ?? 0);
  });

  it("a display's sign-out is audited", async () => {
    const exchanged = await exchangeDisplayToken(await newToken("Wall leaving"), NO_META);
    if (!exchanged.ok) throw new Error("exchange failed");
    const cookie = `floorwatch.display=${exchanged.data.sessionSecret}`;
    const viewer = await displayViewer(exchanged.data.sessionSecret);
    await signOut(viewer, requestHeaders({ cookie, ip: "10.9.0.4" }), {
      ip: "10.9.0.4",
      userAgent: "wall",
    });
    const { events } = await readAuditEvents({ companies: ["90001"], limit: 50 });
    expect(events.find((e) => e.type === "display_session.ended")).toMatchObject({
      data: { label: "Wall leaving", companyCode: "90001" },
      actor: { kind: "display", name: "Wall leaving" },
      ip: "10.9.0.4",
    });
  });
});

describe("[AUTH] expired sessions are purged", () => {
  it("purgeExpiredSessions deletes expired user and display sessions and keeps live ones", async () => {
    const { purgeExpiredSessions } = await import("@/server/auth/housekeeping");
    const live = await exchangeDisplayToken(await newToken("Wall live"), NO_META);
    const old = await exchangeDisplayToken(await newToken("Wall old"), NO_META);
    if (!live.ok || !old.ok) throw new Error("exchange failed");
    await db().displaySession.update({
      where: { secretHash: hashSecret(old.data.sessionSecret) },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    await db().session.create({
      data: {
        id: "expired-session",
        token: "expired-token",
        userId: admin.id,
        expiresAt: new Date(Date.now() - 1000),
      },
    });
    expect(await purgeExpiredSessions()).toEqual({ sessions: 1, displaySessions: 1 });
    expect(await displayViewer(live.data.sessionSecret)).not.toBeNull();
  });
});
