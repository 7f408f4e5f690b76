import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server as SocketServer } from "socket.io";
import { io as connect, type Socket as ClientSocket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { TViewer } from "@/lib/auth/viewer";
import { cookieHeader, prepareAuthEnvironment, requestHeaders } from "./harness";

/**
 * evictPrincipal(kind, id) is the auth code's one way to drop live sockets (the gateway owns how):
 * here it drops this test server's sockets of that principal, so the test sees what sign-out asks.
 */
const live = vi.hoisted(() => ({ io: undefined as SocketServer | undefined }));
vi.mock("@/server/realtime/evict", () => ({
  evictPrincipal: (kind: "user" | "display", id: string) => {
    for (const socket of live.io?.sockets.sockets.values() ?? []) {
      const viewer = (socket.data as { viewer?: TViewer }).viewer;
      if (viewer?.kind === kind && viewer.id === id) socket.disconnect(true);
    }
  },
}));

prepareAuthEnvironment();

const { insertUser } = await import("@/server/auth/users");
const { signIn } = await import("@/server/auth/sign-in");
const { createDisplayToken, exchangeDisplayToken } = await import("@/server/auth/display");
const { socketAuth } = await import("@/server/auth/socket-auth");
const signOutRoute = await import("@/app/api/auth/sign-out/route");

const PASSWORD = "sign-out-password-1";
const ORIGIN = "http://127.0.0.1:3399";
const NO_META = { ip: null, userAgent: null };
let http: HttpServer;
let base = "";
let admin: TViewer;
const clients: ClientSocket[] = [];

beforeAll(async () => {
  const adminId = await insertUser(
    {
      username: "admin",
      password: PASSWORD,
      role: "admin",
      companyCode: "90001",
      allCompanies: true,
    },
    { kind: "system" },
    NO_META,
  );
  admin = { kind: "user", id: adminId, name: "admin", role: "admin", companies: "all" };
  await insertUser(
    {
      username: "leaver",
      password: PASSWORD,
      role: "viewer",
      companyCode: "90001",
      allCompanies: false,
    },
    { kind: "system" },
    NO_META,
  );
  http = createServer();
  live.io = new SocketServer(http, { transports: ["websocket"] });
  live.io.use(socketAuth([ORIGIN]));
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const c of clients) c.close();
  live.io?.close();
  await new Promise<void>((resolve) => http.close(() => resolve()));
});

function connectWith(cookie: string): Promise<ClientSocket> {
  const socket = connect(base, {
    transports: ["websocket"],
    reconnection: false,
    extraHeaders: { origin: ORIGIN, cookie },
  });
  clients.push(socket);
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

const dropped = (socket: ClientSocket) =>
  new Promise<string>((resolve) => socket.once("disconnect", (reason) => resolve(reason)));

async function signOutWith(cookie: string): Promise<number> {
  const response = await signOutRoute.POST(
    new Request(`${ORIGIN}/api/auth/sign-out`, {
      method: "POST",
      headers: requestHeaders({ cookie, ip: "10.4.0.1" }),
    }),
  );
  return response.status;
}

async function userCookie(): Promise<string> {
  const result = await signIn(
    { username: "leaver", password: PASSWORD },
    requestHeaders({ cookie: "", ip: "10.4.0.1" }),
    { ip: "10.4.0.1", userAgent: "vitest" },
  );
  if (!result.ok) throw new Error(`sign-in failed: ${result.code}`);
  return cookieHeader(result.data.setCookies);
}

describe("[AUTH] sign-out ends the live sockets of the session", () => {
  it("a user's sockets are dropped at sign-out, and cannot come back", async () => {
    const cookie = await userCookie();
    const socket = await connectWith(cookie);
    const gone = dropped(socket);
    expect(await signOutWith(cookie)).toBe(200);
    expect(
      await Promise.race([gone, new Promise((r) => setTimeout(() => r("still open"), 2000))]),
    ).toBe("io server disconnect");
    await expect(connectWith(cookie)).rejects.toMatchObject({ data: { code: "unauthenticated" } });
  });

  it("a wall display's sockets are dropped when it signs out", async () => {
    const created = await createDisplayToken(
      admin,
      { label: "Wall leaving", companyCode: "90001" },
      NO_META,
    );
    if (!created.ok) throw new Error("token creation failed");
    const exchanged = await exchangeDisplayToken(created.data.secret, NO_META);
    if (!exchanged.ok) throw new Error("token exchange failed");
    const cookie = `floorwatch.display=${exchanged.data.sessionSecret}`;
    const socket = await connectWith(cookie);
    const gone = dropped(socket);
    expect(await signOutWith(cookie)).toBe(200);
    expect(
      await Promise.race([gone, new Promise((r) => setTimeout(() => r("still open"), 2000))]),
    ).toBe("io server disconnect");
    await expect(connectWith(cookie)).rejects.toMatchObject({ data: { code: "unauthenticated" } });
  });
});
