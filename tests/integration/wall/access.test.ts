import { io as connect, type Socket as ClientSocket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { TActionResult } from "@/lib/errors";
import type { TDisplaySettings, TWallThresholds } from "@/lib/wall/types";
import {
  DEFAULT_DISPLAY_SETTINGS,
  DEFAULT_WALL_THRESHOLDS,
  ZWallConfig,
  ZWallHistory,
} from "@/lib/wall/types";
import { prepareAuthEnvironment, requestHeaders } from "../auth/harness";

/** What next/headers returns inside the current (simulated) request. */
const current = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/headers", () => ({
  headers: async () => current.headers,
  cookies: async () => ({ set: () => {} }),
}));

prepareAuthEnvironment();

const { db } = await import("@/server/db");
const { socketAuth } = await import("@/server/auth/socket-auth");
const { listDisplayTokens } = await import("@/server/auth/display");
const { readAuditEvents } = await import("@/server/audit/log");
const { startTestApp, closedPort } = await import("../helpers/app");
const { createDisplay, createPrincipals } = await import("./principals");
const wallRoute = await import("@/app/api/wall/[company]/route");
const historyRoute = await import("@/app/api/wall/[company]/history/route");
const actions = {
  updateWallThresholds: (await import("@/actions/update-wall-thresholds"))
    .updateWallThresholdsAction,
  createDisplayToken: (await import("@/actions/create-display-token")).createDisplayTokenAction,
  updateDisplayToken: (await import("@/actions/update-display-token")).updateDisplayTokenAction,
  revokeDisplayToken: (await import("@/actions/revoke-display-token")).revokeDisplayTokenAction,
};
type TTestApp = Awaited<ReturnType<typeof startTestApp>>;
type TPrincipals = Awaited<ReturnType<typeof createPrincipals>>;

const ORIGIN = "http://127.0.0.1:3399";
const ROLES = [
  "anonymous",
  "viewer",
  "supervisor",
  "admin",
  "otherSupervisor",
  "otherAdmin",
  "display",
  "otherDisplay",
] as const;
type TRoleName = (typeof ROLES)[number];

let app: TTestApp;
let principals: TPrincipals;
const cookies = {} as Record<TRoleName, string>;
const tokens = {} as Record<"display" | "otherDisplay", string>;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  // The real application with the real socket authentication; its CTI is a closed port, so
  // the floor is empty, but its companies' rooms exist.
  app = await startTestApp({
    ctiPort: await closedPort(),
    companies: ["90001", "90002"],
    deps: { authenticateSocket: socketAuth([ORIGIN]) },
  });
  principals = await createPrincipals();
  const display = await createDisplay(principals.admin, "90001", {
    rotateSeconds: 45,
    sound: false,
  });
  const otherDisplay = await createDisplay(principals.admin, "90002");
  tokens.display = display.tokenId;
  tokens.otherDisplay = otherDisplay.tokenId;
  Object.assign(cookies, principals.cookies, {
    anonymous: "",
    display: display.cookie,
    otherDisplay: otherDisplay.cookie,
  });
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await app?.stop();
});

function headersOf(role: TRoleName, locale = "en"): Headers {
  return requestHeaders({ cookie: cookies[role], ip: "10.2.0.1", locale });
}

/** Runs a server action as `role`, as Next.js would inside that request. */
function run<T>(
  role: TRoleName,
  action: (raw: unknown) => Promise<TActionResult<T>>,
  input: unknown,
  locale = "en",
): Promise<TActionResult<T>> {
  current.headers = headersOf(role, locale);
  return action(input);
}

function getWall(role: TRoleName, company: string): Promise<Response> {
  return wallRoute.GET(new Request(`${ORIGIN}/api/wall/${company}`, { headers: headersOf(role) }), {
    params: Promise.resolve({ company }),
  });
}

function getHistory(role: TRoleName, company: string, query = ""): Promise<Response> {
  return historyRoute.GET(
    new Request(`${ORIGIN}/api/wall/${company}/history${query}`, { headers: headersOf(role) }),
    { params: Promise.resolve({ company }) },
  );
}

/** A socket of `cookie`, joined to `company`'s floor, collecting wall:thresholds. */
async function wallSocket(
  cookie: string,
  company: string,
): Promise<{ socket: ClientSocket; received: unknown[] }> {
  const socket = connect(app.url, {
    transports: ["websocket"],
    reconnection: false,
    extraHeaders: { origin: ORIGIN, cookie },
  });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  const ack = (await socket.emitWithAck("floor:join", { companyCode: company })) as { ok: boolean };
  expect(ack.ok).toBe(true);
  const received: unknown[] = [];
  socket.on("wall:thresholds", (payload) => received.push(payload));
  return { socket, received };
}

const THRESHOLDS: TWallThresholds = {
  ringAmberS: 15,
  ringRedS: 45,
  talkAmberS: 300,
  talkRedS: 900,
  restMin: 10,
};
const asForm = (t: TWallThresholds) =>
  Object.fromEntries(Object.entries(t).map(([k, v]) => [k, String(v)]));

async function storedThresholds(company: string): Promise<string | undefined> {
  return (await db().setting.findUnique({ where: { key: `wall:${company}` } }))?.value;
}

describe("[WALL] GET /api/wall/<company> and its history: who may read them", () => {
  const EXPECTED: Record<TRoleName, number> = {
    anonymous: 401,
    viewer: 200,
    supervisor: 200,
    admin: 200,
    otherSupervisor: 403,
    otherAdmin: 403,
    display: 200,
    otherDisplay: 403,
  };
  for (const role of ROLES) {
    it(`as ${role}: ${EXPECTED[role]}`, async () => {
      for (const response of [await getWall(role, "90001"), await getHistory(role, "90001")]) {
        expect(response.status).toBe(EXPECTED[role]);
        const body = (await response.json()) as Record<string, unknown>;
        if (EXPECTED[role] === 200) continue;
        expect(body.code).toBe(role === "anonymous" ? "unauthenticated" : "forbidden_company");
        // Nothing of the company in a refusal.
        expect(Object.keys(body).sort()).toEqual(["code", "message"]);
      }
    });
  }

  it("a company nobody watches: 404 for the admin of every company, 403 for the others", async () => {
    for (const get of [getWall, getHistory]) {
      const admin = await get("admin", "90009");
      expect(admin.status).toBe(404);
      expect(await admin.json()).toMatchObject({ code: "unknown_company" });
      expect((await get("viewer", "90009")).status).toBe(403);
      expect((await get("anonymous", "90009")).status).toBe(401);
      expect((await get("admin", "x".repeat(200))).status).toBe(404);
    }
  });

  it("users get the default display settings, a display its token's; the company's thresholds, the version", async () => {
    const asViewer = ZWallConfig.parse(await (await getWall("viewer", "90001")).json());
    expect(asViewer).toMatchObject({
      companyCode: "90001",
      companyName: "90001",
      display: DEFAULT_DISPLAY_SETTINGS,
      version: "test",
    });
    expect(Math.abs(asViewer.serverTime - Date.now())).toBeLessThan(5000);
    const asDisplay = ZWallConfig.parse(await (await getWall("display", "90001")).json());
    expect(asDisplay.display).toEqual({ rotateSeconds: 45, sound: false });
    const asOther = ZWallConfig.parse(await (await getWall("otherDisplay", "90002")).json());
    expect(asOther.display).toEqual(DEFAULT_DISPLAY_SETTINGS);
    expect(asOther.thresholds).toEqual(DEFAULT_WALL_THRESHOLDS);
  });

  it("counts the company's interventions requested since midnight in Shanghai", async () => {
    // Shanghai is UTC+8 all year: its midnight today in UTC.
    const now = Date.now();
    const shanghai = new Date(now + 8 * 3_600_000);
    const midnight =
      Date.UTC(shanghai.getUTCFullYear(), shanghai.getUTCMonth(), shanghai.getUTCDate()) -
      8 * 3_600_000;
    const row = (id: string, companyCode: string, requestedAt: number) => ({
      id,
      companyCode,
      operation: "interrupt_call",
      actorId: "u1",
      actorName: "sup",
      seatAgentId: `${companyCode}_20004`,
      targetAgentId: `${companyCode}_20001`,
      callUuid: `call-${id}`,
      stage: "confirmed",
      outcome: "confirmed",
      idempotencyKey: id,
      requestedAt: new Date(requestedAt),
    });
    await db().intervention.createMany({
      data: [
        row("i-yesterday", "90001", midnight - 1000),
        row("i-midnight", "90001", midnight),
        row("i-now", "90001", now),
        row("i-other", "90002", now),
      ],
    });
    const config = ZWallConfig.parse(await (await getWall("display", "90001")).json());
    expect(config.interventionsToday).toBe(2);
  });

  it("history: ?hours is 1..24, default 8; a bad value is 400 naming the field", async () => {
    const ok = ZWallHistory.parse(await (await getHistory("viewer", "90001")).json());
    expect(ok.companyCode).toBe("90001");
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    expect([minute - 8 * 3_600_000, minute - 8 * 3_600_000 - 60_000]).toContain(ok.fromMinute);
    const day = ZWallHistory.parse(await (await getHistory("viewer", "90001", "?hours=24")).json());
    // A minute may begin between the two requests.
    expect([16 * 3_600_000, 16 * 3_600_000 - 60_000]).toContain(ok.fromMinute - day.fromMinute);
    for (const query of ["?hours=0", "?hours=25", "?hours=abc", "?hours=1&hours=2"]) {
      const response = await getHistory("viewer", "90001", query);
      expect(response.status, query).toBe(400);
      const body = (await response.json()) as { code: string; fieldErrors: Record<string, string> };
      expect(body.code).toBe("invalid_input");
      expect(Object.keys(body.fieldErrors)).toEqual(["hours"]);
    }
    // Refused before the query is read.
    expect((await getHistory("anonymous", "90001", "?hours=abc")).status).toBe(401);
  });
});

describe("[WALL] thresholds: an admin changes them, open walls get them", () => {
  it("an admin's change is saved, audited with before and after, and reaches the company's walls only", async () => {
    const display = await wallSocket(cookies.display, "90001");
    const supervisor = await wallSocket(cookies.supervisor, "90001");
    const other = await wallSocket(cookies.otherSupervisor, "90002");
    const result = await run("admin", actions.updateWallThresholds, {
      companyCode: "90001",
      thresholds: asForm(THRESHOLDS),
    });
    expect(result).toEqual({ ok: true, data: THRESHOLDS });
    expect(JSON.parse((await storedThresholds("90001")) ?? "null")).toEqual(THRESHOLDS);
    const payload = { companyCode: "90001", thresholds: THRESHOLDS };
    // Masked room (the display) and full-number room (the supervisor).
    await vi.waitFor(() => expect(display.received).toEqual([payload]));
    await vi.waitFor(() => expect(supervisor.received).toEqual([payload]));
    const { events } = await readAuditEvents({ companies: "all", limit: 50 });
    expect(events.find((e) => e.type === "wall_thresholds.updated")).toMatchObject({
      actor: { kind: "user", id: principals.admin.id },
      companyCode: "90001",
      data: { companyCode: "90001", before: DEFAULT_WALL_THRESHOLDS, after: THRESHOLDS },
    });
    const config = ZWallConfig.parse(await (await getWall("display", "90001")).json());
    expect(config.thresholds).toEqual(THRESHOLDS);
    // A later event on the other company's sockets would arrive after this one had.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(other.received).toEqual([]);
  });

  it("an admin of the other company changes only that company's", async () => {
    const mine = await wallSocket(cookies.display, "90001");
    const theirs = await wallSocket(cookies.otherDisplay, "90002");
    const refused = await run("otherAdmin", actions.updateWallThresholds, {
      companyCode: "90001",
      thresholds: asForm(DEFAULT_WALL_THRESHOLDS),
    });
    expect(refused).toMatchObject({ ok: false, code: "forbidden_company" });
    const changed = { ...DEFAULT_WALL_THRESHOLDS, restMin: 30 };
    const result = await run("otherAdmin", actions.updateWallThresholds, {
      companyCode: "90002",
      thresholds: changed,
    });
    expect(result).toEqual({ ok: true, data: changed });
    await vi.waitFor(() =>
      expect(theirs.received).toEqual([{ companyCode: "90002", thresholds: changed }]),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(mine.received).toEqual([]);
    expect(JSON.parse((await storedThresholds("90001")) ?? "null")).toEqual(THRESHOLDS);
  });

  const REFUSED: [TRoleName, string][] = [
    ["anonymous", "unauthenticated"],
    ["viewer", "forbidden_role"],
    ["supervisor", "forbidden_role"],
    ["display", "forbidden_role"],
    ["otherSupervisor", "forbidden_role"],
  ];
  for (const [role, code] of REFUSED) {
    it(`as ${role}: refused (${code}), nothing saved, audited or sent`, async () => {
      const wall = await wallSocket(cookies.display, "90001");
      const before = {
        stored: await storedThresholds("90001"),
        audit: await db().auditEvent.count(),
      };
      const result = await run(role, actions.updateWallThresholds, {
        companyCode: "90001",
        thresholds: asForm({ ...THRESHOLDS, ringAmberS: 1 }),
      });
      expect(result).toMatchObject({ ok: false, code });
      expect({
        stored: await storedThresholds("90001"),
        audit: await db().auditEvent.count(),
      }).toEqual(before);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(wall.received).toEqual([]);
    });
  }

  it("bad values are refused per field, in the caller's language, and change nothing", async () => {
    const before = await storedThresholds("90001");
    const bad = {
      companyCode: "90001",
      thresholds: {
        ringAmberS: "60",
        ringRedS: "30",
        talkAmberS: "",
        talkRedS: "86401",
        restMin: "x",
      },
    };
    const en = await run("admin", actions.updateWallThresholds, bad);
    expect(en).toEqual({
      ok: false,
      code: "invalid_input",
      message: "Some fields are not valid. Please check them.",
      fieldErrors: {
        "thresholds.talkAmberS": "Required.",
        "thresholds.talkRedS": "At most 86,400.",
        "thresholds.restMin": "Not a valid value.",
      },
    });
    // Red after amber is checked once every field is a number.
    const order = await run(
      "admin",
      actions.updateWallThresholds,
      {
        companyCode: "90001",
        thresholds: { ...asForm(THRESHOLDS), ringAmberS: "60", ringRedS: "30" },
      },
      "zh-CN",
    );
    expect(order).toEqual({
      ok: false,
      code: "invalid_input",
      message: "部分字段无效，请检查。",
      fieldErrors: { "thresholds.ringRedS": "必须大于黄色阈值。" },
    });
    const zh = await run("admin", actions.updateWallThresholds, bad, "zh-CN");
    expect(zh).toMatchObject({
      fieldErrors: {
        "thresholds.talkAmberS": "必填。",
        "thresholds.talkRedS": "不能大于 86,400。",
        "thresholds.restMin": "取值无效。",
      },
    });
    expect(await storedThresholds("90001")).toBe(before);
  });

  it("a company that is not watched is refused", async () => {
    const result = await run("admin", actions.updateWallThresholds, {
      companyCode: "90009",
      thresholds: asForm(THRESHOLDS),
    });
    expect(result).toMatchObject({ ok: false, code: "unknown_company" });
    expect(await storedThresholds("90009")).toBeUndefined();
  });
});

describe("[WALL] display token settings", () => {
  it("are set at creation (defaults when not given) and listed", async () => {
    const made = await run("admin", actions.createDisplayToken, {
      label: "Lobby wall",
      companyCode: "90001",
      expiresInDays: "",
      rotateSeconds: "0",
      sound: false,
    });
    const plain = await run("admin", actions.createDisplayToken, {
      label: "Plain wall",
      companyCode: "90001",
    });
    expect(made.ok && plain.ok).toBe(true);
    const listed = await listDisplayTokens(principals.admin);
    expect(listed.find((t) => t.label === "Lobby wall")?.display).toEqual({
      rotateSeconds: 0,
      sound: false,
    });
    expect(listed.find((t) => t.label === "Plain wall")?.display).toEqual(DEFAULT_DISPLAY_SETTINGS);
    const { events } = await readAuditEvents({ companies: "all", limit: 50 });
    expect(
      events.find((e) => e.type === "display_token.created" && e.data.label === "Lobby wall"),
    ).toMatchObject({ data: { display: { rotateSeconds: 0, sound: false } } });
  });

  it("an admin edits them, audited with before and after; the display's wall reads them", async () => {
    const after: TDisplaySettings = { rotateSeconds: 90, sound: true };
    const result = await run("admin", actions.updateDisplayToken, {
      tokenId: tokens.display,
      rotateSeconds: "90",
      sound: true,
    });
    expect(result).toEqual({ ok: true, data: { id: tokens.display, display: after } });
    const config = ZWallConfig.parse(await (await getWall("display", "90001")).json());
    expect(config.display).toEqual(after);
    const { events } = await readAuditEvents({ companies: "all", limit: 50 });
    expect(events.find((e) => e.type === "display_token.updated")).toMatchObject({
      actor: { kind: "user", id: principals.admin.id },
      data: { tokenId: tokens.display, before: { rotateSeconds: 45, sound: false }, after },
    });
  });

  const REFUSED: [TRoleName, string][] = [
    ["anonymous", "unauthenticated"],
    ["viewer", "forbidden_role"],
    ["supervisor", "forbidden_role"],
    ["display", "forbidden_role"],
    ["otherAdmin", "forbidden_company"],
  ];
  for (const [role, code] of REFUSED) {
    it(`an edit as ${role} is refused (${code}) and changes nothing`, async () => {
      const before = await db().displayToken.findUniqueOrThrow({ where: { id: tokens.display } });
      const audit = await db().auditEvent.count();
      const result = await run(role, actions.updateDisplayToken, {
        tokenId: tokens.display,
        rotateSeconds: "5",
        sound: false,
      });
      expect(result).toMatchObject({ ok: false, code });
      expect(await db().displayToken.findUniqueOrThrow({ where: { id: tokens.display } })).toEqual(
        before,
      );
      expect(await db().auditEvent.count()).toBe(audit);
    });
  }

  it("bad settings are refused per field; an unknown token is named", async () => {
    expect(
      await run("admin", actions.updateDisplayToken, {
        tokenId: tokens.display,
        rotateSeconds: "-1",
        sound: "loud",
      }),
    ).toMatchObject({
      ok: false,
      code: "invalid_input",
      fieldErrors: { rotateSeconds: "At least 0.", sound: "Not a valid value." },
    });
    expect(
      await run("admin", actions.updateDisplayToken, {
        tokenId: "no-such-token",
        rotateSeconds: "5",
        sound: true,
      }),
    ).toMatchObject({ ok: false, code: "token_not_found" });
  });
});

describe("[WALL] a revoked or expired display stops at once", () => {
  const dropped = (socket: ClientSocket) =>
    new Promise<string>((resolve) => socket.once("disconnect", (reason) => resolve(reason)));

  it("revoking its token cuts the wall's socket and its wall API answers 401", async () => {
    const wall = await createDisplay(principals.admin, "90001");
    cookies.display = wall.cookie;
    const { socket } = await wallSocket(wall.cookie, "90001");
    const bystander = await wallSocket(cookies.viewer, "90001");
    expect((await getWall("display", "90001")).status).toBe(200);
    const gone = dropped(socket);
    const started = Date.now();
    expect(await run("admin", actions.revokeDisplayToken, { tokenId: wall.tokenId })).toMatchObject(
      { ok: true },
    );
    expect(await gone).toBe("io server disconnect");
    expect(Date.now() - started).toBeLessThan(2000);
    for (const response of [
      await getWall("display", "90001"),
      await getHistory("display", "90001"),
    ]) {
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ code: "unauthenticated" });
    }
    expect(bystander.socket.connected).toBe(true);
  });

  it("a token that expires cuts the wall's socket at its expiry and its wall API answers 401", async () => {
    const wall = await createDisplay(principals.admin, "90001");
    cookies.display = wall.cookie;
    const expiresAt = new Date(Date.now() + 1500);
    await db().displayToken.update({ where: { id: wall.tokenId }, data: { expiresAt } });
    await db().displaySession.updateMany({ where: { tokenId: wall.tokenId }, data: { expiresAt } });
    const { socket } = await wallSocket(wall.cookie, "90001");
    expect((await getWall("display", "90001")).status).toBe(200);
    expect(await dropped(socket)).toBe("io server disconnect");
    expect(Date.now() - expiresAt.getTime()).toBeLessThan(2000);
    expect((await getWall("display", "90001")).status).toBe(401);
  });
});
