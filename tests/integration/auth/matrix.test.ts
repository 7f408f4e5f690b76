import { io as connect, type Socket as ClientSocket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { TFloorDelta } from "@/lib/floor/types";
import type { TViewer } from "@/lib/auth/viewer";
import type { TActionResult } from "@/lib/errors";
import { cookieHeader, prepareAuthEnvironment, requestHeaders, type TFakeRequest } from "./harness";

/** What next/headers returns inside the current (simulated) request. */
const current = vi.hoisted(() => ({ headers: new Headers(), set: [] as string[] }));
vi.mock("next/headers", () => ({
  headers: async () => current.headers,
  cookies: async () => ({
    set: (name: string, value: string) => current.set.push(`${name}=${value}`),
  }),
}));

prepareAuthEnvironment();

const { db } = await import("@/server/db");
const { insertUser } = await import("@/server/auth/users");
const { signIn } = await import("@/server/auth/sign-in");
const { createDisplayToken, exchangeDisplayToken } = await import("@/server/auth/display");
const { socketAuth } = await import("@/server/auth/socket-auth");
const { readAuditEvents } = await import("@/server/audit/log");
const { setUserDisabled } = await import("@/server/auth/users");
const { revokeDisplayToken } = await import("@/server/auth/display");
const { startTestApp, closedPort } = await import("../helpers/app");
type TTestApp = Awaited<ReturnType<typeof startTestApp>>;
const actions = {
  createUser: (await import("@/actions/create-user")).createUserAction,
  updateUser: (await import("@/actions/update-user")).updateUserAction,
  setUserDisabled: (await import("@/actions/set-user-disabled")).setUserDisabledAction,
  resetPassword: (await import("@/actions/reset-password")).resetPasswordAction,
  createDisplayToken: (await import("@/actions/create-display-token")).createDisplayTokenAction,
  revokeDisplayToken: (await import("@/actions/revoke-display-token")).revokeDisplayTokenAction,
  updateDisplayToken: (await import("@/actions/update-display-token")).updateDisplayTokenAction,
  signOut: (await import("@/actions/sign-out")).signOutAction,
};
const sessionRoute = await import("@/app/api/auth/session/route");
const signOutRoute = await import("@/app/api/auth/sign-out/route");
const signInRoute = await import("@/app/api/auth/sign-in/route");

const ROLES = [
  "anonymous",
  "viewer",
  "display",
  "supervisor",
  "admin",
  "otherSupervisor",
  "otherAdmin",
] as const;
type TRoleName = (typeof ROLES)[number];

const PASSWORD = "matrix-password-1";
const SYSTEM = { kind: "system" as const };
const NO_META = { ip: null, userAgent: null };
const requests = {} as Record<TRoleName, TFakeRequest>;
const ids = {} as Record<"target" | "otherTarget" | "token" | "otherToken", string>;
let admin: TViewer;

async function sessionCookie(username: string): Promise<string> {
  const result = await signIn(
    { username, password: PASSWORD },
    requestHeaders({ cookie: "", ip: "10.0.0.1" }),
    NO_META,
  );
  if (!result.ok) throw new Error(`sign-in of ${username} failed: ${result.code}`);
  return cookieHeader(result.data.setCookies);
}

async function displayCookie(companyCode: string): Promise<{ cookie: string; tokenId: string }> {
  const created = await createDisplayToken(
    admin,
    { label: `Wall ${companyCode}`, companyCode },
    NO_META,
  );
  if (!created.ok) throw new Error("token creation failed");
  const exchanged = await exchangeDisplayToken(created.data.secret, NO_META);
  if (!exchanged.ok) throw new Error("token exchange failed");
  return { cookie: `floorwatch.display=${exchanged.data.sessionSecret}`, tokenId: created.data.id };
}

function run(name: keyof typeof actions, input: unknown): Promise<TActionResult<unknown>> {
  return (actions[name] as (raw: unknown) => Promise<TActionResult<unknown>>)(input);
}

/** Runs `call` inside a simulated request of `role`. */
async function as<T>(role: TRoleName, call: () => Promise<T>): Promise<T> {
  current.headers = requestHeaders(requests[role]);
  current.set = [];
  return call();
}

beforeAll(async () => {
  const user = (
    username: string,
    role: "viewer" | "supervisor" | "admin",
    companyCode: string,
    allCompanies = false,
  ) =>
    insertUser(
      {
        username,
        password: PASSWORD,
        role,
        companyCode,
        allCompanies,
        ...(role === "supervisor"
          ? { ctiAgentId: `${companyCode}_20004`, ctiExtId: `${companyCode}_20004` }
          : {}),
      },
      SYSTEM,
      NO_META,
    );
  const adminId = await user("admin", "admin", "90001", true);
  await user("viewer", "viewer", "90001");
  await user("supervisor", "supervisor", "90001");
  await user("other.sup", "supervisor", "90002");
  await user("other.admin", "admin", "90002");
  ids.target = await user("target", "viewer", "90001");
  ids.otherTarget = await user("other.target", "viewer", "90002");
  admin = { kind: "user", id: adminId, name: "admin", role: "admin", companies: "all" };
  const display = await displayCookie("90001");
  ids.token = (await displayCookie("90001")).tokenId;
  ids.otherToken = (await displayCookie("90002")).tokenId;
  const cookies: Record<TRoleName, string> = {
    anonymous: "",
    viewer: await sessionCookie("viewer"),
    display: display.cookie,
    supervisor: await sessionCookie("supervisor"),
    admin: await sessionCookie("admin"),
    otherSupervisor: await sessionCookie("other.sup"),
    otherAdmin: await sessionCookie("other.admin"),
  };
  ROLES.forEach((role, i) => {
    requests[role] = { cookie: cookies[role], ip: `10.1.0.${i + 1}` };
  });
});

/** Counts that a refused call must leave as they were. */
async function state() {
  const [users, tokens, revoked, disabled, audit] = await Promise.all([
    db().user.count(),
    db().displayToken.count(),
    db().displayToken.count({ where: { revokedAt: { not: null } } }),
    db().user.count({ where: { disabled: true } }),
    db().auditEvent.count(),
  ]);
  return { users, tokens, revoked, disabled, audit };
}

type TActionCase = {
  name: keyof typeof actions;
  input: () => unknown;
  /** Same action aimed at company 90002's objects: what an admin of 90002 may do. */
  otherCompanyInput: () => unknown;
};

let serial = 0;
const ACTION_CASES: TActionCase[] = [
  {
    name: "createUser",
    input: () => ({
      username: `made.${++serial}`,
      password: PASSWORD,
      role: "viewer",
      companyCode: "90001",
    }),
    otherCompanyInput: () => ({
      username: `made.${++serial}`,
      password: PASSWORD,
      role: "viewer",
      companyCode: "90002",
    }),
  },
  {
    name: "updateUser",
    input: () => ({ userId: ids.target, role: "viewer", companyCode: "90001" }),
    otherCompanyInput: () => ({ userId: ids.otherTarget, role: "viewer", companyCode: "90002" }),
  },
  {
    name: "setUserDisabled",
    input: () => ({ userId: ids.target, disabled: false }),
    otherCompanyInput: () => ({ userId: ids.otherTarget, disabled: false }),
  },
  {
    name: "resetPassword",
    input: () => ({ userId: ids.target, password: PASSWORD }),
    otherCompanyInput: () => ({ userId: ids.otherTarget, password: PASSWORD }),
  },
  {
    name: "createDisplayToken",
    input: () => ({ label: `Wall ${++serial}`, companyCode: "90001" }),
    otherCompanyInput: () => ({ label: `Wall ${++serial}`, companyCode: "90002" }),
  },
  {
    name: "revokeDisplayToken",
    input: () => ({ tokenId: ids.token }),
    otherCompanyInput: () => ({ tokenId: ids.otherToken }),
  },
  {
    name: "updateDisplayToken",
    input: () => ({ tokenId: ids.token, rotateSeconds: "30", sound: false }),
    otherCompanyInput: () => ({ tokenId: ids.otherToken, rotateSeconds: "30", sound: false }),
  },
];

const EXPECTED_REFUSAL: Record<Exclude<TRoleName, "admin">, string> = {
  anonymous: "unauthenticated",
  viewer: "forbidden_role",
  display: "forbidden_role",
  supervisor: "forbidden_role",
  otherSupervisor: "forbidden_role",
  otherAdmin: "forbidden_company",
};

describe("[AUTH] authorization matrix: server actions", () => {
  for (const action of ACTION_CASES) {
    for (const role of ROLES.filter((r): r is Exclude<TRoleName, "admin"> => r !== "admin")) {
      it(`${action.name} as ${role} is refused (${EXPECTED_REFUSAL[role]}) and changes nothing`, async () => {
        const before = await state();
        const result = await as(role, () => run(action.name, action.input()));
        expect(result).toMatchObject({ ok: false, code: EXPECTED_REFUSAL[role] });
        expect(result.ok ? "" : result.message).toMatch(/\w{4,}/);
        expect(await state()).toEqual(before);
      });
    }
    it(`${action.name} as an admin of the other company works only on that company`, async () => {
      const result = await as("otherAdmin", () => run(action.name, action.otherCompanyInput()));
      expect(result.ok).toBe(true);
    });
    it(`${action.name} as the all-companies admin works`, async () => {
      const result = await as("admin", () => run(action.name, action.input()));
      expect(result.ok).toBe(true);
    });
  }

  it("an admin cannot grant all companies without having them, nor change themselves", async () => {
    const grant = await as("otherAdmin", () =>
      actions.createUser({
        username: "sneaky",
        password: PASSWORD,
        role: "admin",
        companyCode: "90002",
        allCompanies: true,
      }),
    );
    expect(grant).toMatchObject({ ok: false, code: "forbidden_company" });
    const self = await as("admin", () =>
      actions.setUserDisabled({ userId: admin.id, disabled: true }),
    );
    expect(self).toMatchObject({ ok: false, code: "cannot_change_self" });
  });

  it("refused input is reported per field in the caller's language and changes nothing", async () => {
    const before = await state();
    requests.admin.locale = "zh-CN";
    const result = await as("admin", () =>
      actions.createUser({
        username: "<script>",
        password: "",
        role: 7,
        companyCode: "' OR 1=1 --",
      }),
    );
    requests.admin.locale = "en";
    expect(result).toMatchObject({
      ok: false,
      code: "invalid_input",
      message: "部分字段无效，请检查。",
    });
    expect(
      Object.keys((result as { fieldErrors: Record<string, string> }).fieldErrors).sort(),
    ).toEqual(["companyCode", "password", "role", "username"]);
    expect(await state()).toEqual(before);
  });
});

describe("[AUTH] authorization matrix: route handlers", () => {
  const url = "http://127.0.0.1:3399";
  for (const role of ROLES) {
    it(`GET /api/auth/session as ${role}`, async () => {
      const response = await sessionRoute.GET(
        new Request(`${url}/api/auth/session`, { headers: requestHeaders(requests[role]) }),
      );
      if (role === "anonymous") {
        expect(response.status).toBe(401);
        expect(await response.json()).toMatchObject({ code: "unauthenticated" });
        return;
      }
      expect(response.status).toBe(200);
      const { viewer } = (await response.json()) as { viewer: TViewer };
      expect(viewer.role).toBe(
        role === "otherSupervisor" ? "supervisor" : role === "otherAdmin" ? "admin" : role,
      );
      expect(viewer.companies).toEqual(
        role === "admin" ? "all" : role.startsWith("other") ? ["90002"] : ["90001"],
      );
    });
  }

  it("POST /api/auth/sign-out from another site is refused and the session survives", async () => {
    const response = await signOutRoute.POST(
      new Request(`${url}/api/auth/sign-out`, {
        method: "POST",
        headers: requestHeaders(requests.viewer, { origin: "http://evil.example" }),
      }),
    );
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: "origin_refused" });
    const still = await sessionRoute.GET(
      new Request(`${url}/api/auth/session`, { headers: requestHeaders(requests.viewer) }),
    );
    expect(still.status).toBe(200);
  });

  it("POST /api/auth/sign-in refuses bad bodies with field messages", async () => {
    const post = (body: string) =>
      signInRoute.POST(
        new Request(`${url}/api/auth/sign-in`, {
          method: "POST",
          body,
          headers: requestHeaders({ cookie: "", ip: "10.9.9.9" }),
        }),
      );
    const empty = await post("{}");
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({
      code: "invalid_input",
      fieldErrors: { username: "Required.", password: "Required." },
    });
    expect((await post("not json")).status).toBe(400);
    const injection = await post(
      JSON.stringify({ username: "' OR '1'='1", password: "x' OR 'x'='x" }),
    );
    expect(injection.status).toBe(401);
    expect(await injection.json()).toMatchObject({
      code: "invalid_credentials",
      message: "Wrong username or password.",
    });
  });
});

describe("[AUTH] authorization matrix: socket handshake and floor:join", () => {
  let app: TTestApp;
  let base = "";
  const clients: ClientSocket[] = [];

  beforeAll(async () => {
    // The real application with the real socket authentication; its CTI is a closed port, so
    // the floor is empty and the test feeds deltas into it directly.
    app = await startTestApp({
      ctiPort: await closedPort(),
      companies: ["90001", "90002"],
      deps: { authenticateSocket: socketAuth(["http://127.0.0.1:3399"]) },
    });
    base = app.url;
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await app.stop();
  });

  function open(
    role: TRoleName,
    origin = "http://127.0.0.1:3399",
  ): Promise<{ socket: ClientSocket; error?: { code: string; message: string } }> {
    const socket = connect(base, {
      transports: ["websocket"],
      reconnection: false,
      extraHeaders: {
        origin,
        "accept-language": "en",
        ...(requests[role].cookie ? { cookie: requests[role].cookie } : {}),
      },
    });
    clients.push(socket);
    return new Promise((resolve) => {
      socket.once("connect", () => resolve({ socket }));
      socket.once("connect_error", (err) =>
        resolve({
          socket,
          error: (err as Error & { data: { code: string; message: string } }).data,
        }),
      );
    });
  }

  /** A socket with just this cookie, for principals created inside a test. */
  function connectWith(cookie: string): Promise<ClientSocket> {
    const socket = connect(base, {
      transports: ["websocket"],
      reconnection: false,
      extraHeaders: { origin: "http://127.0.0.1:3399", cookie },
    });
    clients.push(socket);
    return new Promise<ClientSocket>((resolve, reject) => {
      socket.once("connect", () => resolve(socket));
      socket.once("connect_error", reject);
    });
  }

  it("refuses anonymous handshakes and foreign origins with {code, message}", async () => {
    expect((await open("anonymous")).error).toMatchObject({
      code: "unauthenticated",
      message: "Please sign in first.",
    });
    expect((await open("admin", "http://evil.example")).error).toMatchObject({
      code: "origin_refused",
    });
  });

  const JOIN: Record<Exclude<TRoleName, "anonymous">, { "90001": boolean; "90002": boolean }> = {
    viewer: { "90001": true, "90002": false },
    display: { "90001": true, "90002": false },
    supervisor: { "90001": true, "90002": false },
    admin: { "90001": true, "90002": true },
    otherSupervisor: { "90001": false, "90002": true },
    otherAdmin: { "90001": false, "90002": true },
  };
  for (const [role, allowed] of Object.entries(JOIN) as [
    Exclude<TRoleName, "anonymous">,
    { "90001": boolean; "90002": boolean },
  ][]) {
    it(`floor:join as ${role}: ${JSON.stringify(allowed)}`, async () => {
      const { socket, error } = await open(role);
      expect(error).toBeUndefined();
      for (const company of ["90001", "90002"] as const) {
        const ack = await socket.emitWithAck("floor:join", { companyCode: company });
        expect(ack.ok, `${role} joining ${company}`).toBe(allowed[company]);
        if (!ack.ok) expect(ack.code).toBe("forbidden");
      }
    });
  }

  it("a company's deltas reach only its viewers, masked for viewers and displays", async () => {
    const joined = await Promise.all(
      (["viewer", "display", "supervisor", "otherSupervisor"] as const).map(async (role) => {
        const { socket } = await open(role);
        await socket.emitWithAck("floor:join", {
          companyCode: role === "otherSupervisor" ? "90002" : "90001",
        });
        const received: TFloorDelta[] = [];
        socket.on("floor:delta", (d: TFloorDelta) => received.push(d));
        return { role, received };
      }),
    );
    const delta = {
      companyCode: "90001",
      epoch: "e1",
      fromSeq: 1,
      toSeq: 1,
      serverTime: Date.now(),
      agents: [],
      removedAgents: [],
      calls: [
        {
          uuid: "c1",
          agentIds: ["90001_20000"],
          customerNumber: "13107618845",
          state: "talking",
          startedAt: 0,
        },
      ],
      removedCalls: [],
    } satisfies TFloorDelta;
    app.services.floor.emit("delta", delta);
    await vi.waitFor(() => expect(joined.filter((j) => j.received.length > 0).length).toBe(3));
    const numberOf = (role: string) =>
      joined.find((j) => j.role === role)?.received[0]?.calls[0]?.customerNumber;
    expect(numberOf("supervisor")).toBe("13107618845");
    expect(numberOf("viewer")).toBe("131****8845");
    expect(numberOf("display")).toBe("131****8845");
    expect(joined.find((j) => j.role === "otherSupervisor")?.received).toEqual([]);
  });
  it("revoking a display token or disabling a user drops their live sockets at once", async () => {
    const dropped = (socket: ClientSocket) =>
      new Promise<string>((resolve) => socket.once("disconnect", (reason) => resolve(reason)));

    const wall = await displayCookie("90001");
    const wallSocket = await connectWith(wall.cookie);
    expect((await wallSocket.emitWithAck("floor:join", { companyCode: "90001" })).ok).toBe(true);
    const bystander = await connectWith(requests.viewer.cookie);
    const wallGone = dropped(wallSocket);
    expect((await revokeDisplayToken(admin, wall.tokenId, NO_META)).ok).toBe(true);
    expect(await wallGone).toBe("io server disconnect");
    expect(bystander.connected).toBe(true);
    await expect(connectWith(wall.cookie)).rejects.toMatchObject({
      data: { code: "unauthenticated" },
    });

    const evicteeId = await insertUser(
      {
        username: "evictee",
        password: PASSWORD,
        role: "viewer",
        companyCode: "90001",
        allCompanies: false,
      },
      SYSTEM,
      NO_META,
    );
    const userSocket = await connectWith(await sessionCookie("evictee"));
    const userGone = dropped(userSocket);
    expect((await setUserDisabled(admin, { userId: evicteeId, disabled: true }, NO_META)).ok).toBe(
      true,
    );
    expect(await userGone).toBe("io server disconnect");
    expect(bystander.connected).toBe(true);
  });
  it("drops a socket when the session behind it expires, user or display", async () => {
    const soon = () => new Date(Date.now() + 1500);

    await insertUser(
      {
        username: "expiring",
        password: PASSWORD,
        role: "viewer",
        companyCode: "90001",
        allCompanies: false,
      },
      SYSTEM,
      NO_META,
    );
    const userCookie = await sessionCookie("expiring");
    const user = await db().user.findUniqueOrThrow({ where: { username: "expiring" } });
    await db().session.updateMany({ where: { userId: user.id }, data: { expiresAt: soon() } });
    const wall = await displayCookie("90001");
    await db().displaySession.updateMany({
      where: { tokenId: wall.tokenId },
      data: { expiresAt: soon() },
    });
    // A display session renews while in use (the handshake is a use), never past its token.
    await db().displayToken.update({ where: { id: wall.tokenId }, data: { expiresAt: soon() } });

    const sockets = await Promise.all([connectWith(userCookie), connectWith(wall.cookie)]);
    const bystander = await connectWith(requests.viewer.cookie);
    const reasons = await Promise.all(
      sockets.map((socket) => new Promise<string>((resolve) => socket.once("disconnect", resolve))),
    );
    expect(reasons).toEqual(["io server disconnect", "io server disconnect"]);
    expect(bystander.connected).toBe(true);
    await expect(connectWith(userCookie)).rejects.toMatchObject({
      data: { code: "unauthenticated" },
    });
    await expect(connectWith(wall.cookie)).rejects.toMatchObject({
      data: { code: "unauthenticated" },
    });
  });
  it("keeps a socket whose session was renewed before its first expiry, and checks it again", async () => {
    await insertUser(
      {
        username: "renewed",
        password: PASSWORD,
        role: "viewer",
        companyCode: "90001",
        allCompanies: false,
      },
      SYSTEM,
      NO_META,
    );
    const cookie = await sessionCookie("renewed");
    const user = await db().user.findUniqueOrThrow({ where: { username: "renewed" } });
    await db().session.updateMany({
      where: { userId: user.id },
      data: { expiresAt: new Date(Date.now() + 1000) },
    });
    const socket = await connectWith(cookie);
    // Renewed elsewhere (a page load) before the expiry the socket saw at its handshake.
    await db().session.updateMany({
      where: { userId: user.id },
      data: { expiresAt: new Date(Date.now() + 2500) },
    });
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect(socket.connected).toBe(true);
    const gone = new Promise<string>((resolve) => socket.once("disconnect", resolve));
    expect(await gone).toBe("io server disconnect");
  });
});

describe("[AUDIT] company isolation of the log", () => {
  it("an admin of one company reads only that company's events; the all-companies admin reads all, unowned ones too", async () => {
    const mine = await readAuditEvents({ companies: ["90002"], limit: 500 });
    expect(mine.events.length).toBeGreaterThan(0);
    expect(mine.events.every((e) => e.companyCode === "90002")).toBe(true);
    const all = await readAuditEvents({ companies: "all", limit: 500 });
    // null: a failed sign-in with an unknown username belongs to no company.
    expect(new Set(all.events.map((e) => e.companyCode))).toEqual(
      new Set(["90001", "90002", null]),
    );
  });
});

describe("[AUTH] sign-out", () => {
  for (const role of ["viewer", "display", "supervisor"] as const) {
    it(`${role} signs out; the session no longer works`, async () => {
      const result = await as(role, () => actions.signOut(undefined));
      expect(result.ok).toBe(true);
      const after = await sessionRoute.GET(
        new Request("http://127.0.0.1:3399/api/auth/session", {
          headers: requestHeaders(requests[role]),
        }),
      );
      expect(after.status).toBe(401);
    });
  }
  it("anonymous sign-out is refused", async () => {
    expect(await as("anonymous", () => actions.signOut(undefined))).toMatchObject({
      ok: false,
      code: "unauthenticated",
    });
  });
});

describe("[AUTH] authorization matrix: a company admin and users of wider reach", () => {
  /** An admin of 90001 only, and a second all-companies admin whose home company is 90001. */
  const wide = { id: "", cookie: "" };
  const scoped = { id: "", cookie: "" };
  const asScoped = <T>(call: () => Promise<T>): Promise<T> => {
    current.headers = requestHeaders({ cookie: scoped.cookie, ip: "10.7.0.2" });
    current.set = [];
    return call();
  };

  beforeAll(async () => {
    wide.id = await insertUser(
      {
        username: "chief",
        password: PASSWORD,
        role: "admin",
        companyCode: "90001",
        allCompanies: true,
      },
      SYSTEM,
      NO_META,
    );
    scoped.id = await insertUser(
      {
        username: "home.admin",
        password: PASSWORD,
        role: "admin",
        companyCode: "90001",
        allCompanies: false,
      },
      SYSTEM,
      NO_META,
    );
    // The wide admin signs in from an address the scoped admin must never read.
    const signedIn = await signIn(
      { username: "chief", password: PASSWORD },
      requestHeaders({ cookie: "", ip: "10.7.0.1" }),
      { ip: "10.7.0.1", userAgent: "chief-browser" },
    );
    if (!signedIn.ok) throw new Error("chief sign-in failed");
    wide.cookie = cookieHeader(signedIn.data.setCookies);
    scoped.cookie = await sessionCookie("home.admin");
  });

  const SAME_COMPANY: { name: keyof typeof actions; input: () => unknown }[] = [
    {
      name: "updateUser",
      input: () => ({ userId: ids.target, role: "viewer", companyCode: "90001" }),
    },
    { name: "setUserDisabled", input: () => ({ userId: ids.target, disabled: false }) },
    { name: "resetPassword", input: () => ({ userId: ids.target, password: PASSWORD }) },
  ];
  for (const action of SAME_COMPANY) {
    it(`${action.name} as an admin of the target's company works`, async () => {
      expect(await asScoped(() => run(action.name, action.input()))).toMatchObject({ ok: true });
    });
  }

  const WIDER_TARGET: { name: keyof typeof actions; input: () => unknown }[] = [
    {
      name: "updateUser",
      input: () => ({ userId: wide.id, role: "viewer", companyCode: "90001" }),
    },
    { name: "setUserDisabled", input: () => ({ userId: wide.id, disabled: true }) },
    { name: "resetPassword", input: () => ({ userId: wide.id, password: "taken-over-password" }) },
  ];
  for (const action of WIDER_TARGET) {
    it(`${action.name} on an all-companies admin as a company admin is refused and changes nothing`, async () => {
      const before = await state();
      const row = await db().user.findUniqueOrThrow({ where: { id: wide.id } });
      const result = await asScoped(() => run(action.name, action.input()));
      expect(result).toMatchObject({ ok: false, code: "forbidden_company" });
      expect(await state()).toEqual(before);
      expect(await db().user.findUniqueOrThrow({ where: { id: wide.id } })).toEqual(row);
      expect(await db().session.count({ where: { userId: wide.id } })).toBeGreaterThan(0);
    });
  }

  it("the all-companies admin's password still works and its session still sees every company", async () => {
    const session = await sessionRoute.GET(
      new Request("http://127.0.0.1:3399/api/auth/session", {
        headers: requestHeaders({ cookie: wide.cookie, ip: "10.7.0.1" }),
      }),
    );
    expect(((await session.json()) as { viewer: TViewer }).viewer.companies).toBe("all");
    expect((await sessionCookie("chief")).length).toBeGreaterThan(0);
  });

  it("a company admin's user list leaves out users of wider reach", async () => {
    const { listUsers } = await import("@/server/auth/users");
    const viewer = {
      kind: "user",
      id: scoped.id,
      name: "home.admin",
      role: "admin",
      companies: ["90001"],
    } satisfies TViewer;
    const names = (await listUsers(viewer)).map((u) => u.username);
    expect(names).toContain("target");
    expect(names).toContain("home.admin");
    expect(names).not.toContain("chief");
    expect(names).not.toContain("admin");
  });

  it("a company admin's audit log leaves out events by or about users of wider reach", async () => {
    // What app/admin/audit/page.tsx reads for a company admin.
    const page = await readAuditEvents({ companies: ["90001"], limit: 500 });
    expect(page.events.length).toBeGreaterThan(0);
    const wider = new Set([wide.id, admin.id]);
    const leaks = page.events.filter(
      (e) =>
        (e.actor.id !== undefined && wider.has(e.actor.id)) ||
        ("userId" in e.data && typeof e.data.userId === "string" && wider.has(e.data.userId)) ||
        e.ip === "10.7.0.1",
    );
    expect(leaks).toEqual([]);
    // The all-companies admin still reads them.
    const all = await readAuditEvents({ companies: "all", limit: 500 });
    expect(all.events.some((e) => e.ip === "10.7.0.1" && e.userAgent === "chief-browser")).toBe(
      true,
    );
  });
});
