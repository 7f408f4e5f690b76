import { connect as connectTcp } from "node:net";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Writable } from "node:stream";
import pino from "pino";
import { io as connectSocket } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";
import { closedPort, startTestApp, type TTestApp } from "../helpers/app";

/** A stand-in for the Next.js handler: records what reached it, reads and echoes the body. */
function recordingWeb() {
  const reached: string[] = [];
  const web = (req: IncomingMessage, res: ServerResponse) => {
    reached.push(`${req.method} ${req.url}`);
    let size = 0;
    req.on("data", (chunk: Buffer) => (size += chunk.length));
    req.on("end", () => res.writeHead(200, { "content-type": "text/plain" }).end(`read ${size}`));
  };
  return { reached, web };
}

/** How long a refusal may take: one that never comes (the body is being read) is status 0. */
const ANSWER_WITHIN_MS = 10_000;

/** Sends raw bytes and resolves with the status line and headers of the answer (0: none came). */
function rawRequest(
  port: number,
  text: string,
): Promise<{ status: number; head: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = connectTcp(port, "127.0.0.1", () => socket.write(text));
    const timer = setTimeout(() => {
      resolve({ status: 0, head: `no answer within ${ANSWER_WITHIN_MS} ms`, ms: ANSWER_WITHIN_MS });
      socket.destroy();
    }, ANSWER_WITHIN_MS);
    let received = "";
    socket.on("data", (chunk) => {
      received += chunk.toString();
      if (received.includes("\r\n\r\n")) {
        clearTimeout(timer);
        const status = Number(received.split(" ")[1]);
        resolve({ status, head: received, ms: Date.now() - started });
        socket.destroy();
      }
    });
    socket.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

describe("[HTTP] body caps, content types, action origins, headers, metrics", () => {
  let app: TTestApp | undefined;
  afterEach(async () => {
    await app?.stop();
    app = undefined;
  });
  /** The test stopped the app itself. */
  const stopped = () => {
    app = undefined;
  };

  async function start(env: Record<string, string> = {}, log?: pino.Logger) {
    const { reached, web } = recordingWeb();
    app = await startTestApp({
      ctiPort: await closedPort(),
      companies: ["90001"],
      env: { MAX_BODY_BYTES: "4096", ...env },
      deps: { web, ...(log ? { log } : {}) },
    });
    return { reached, app };
  }

  it("a body declared larger than the cap is refused with 413 before it is read", async () => {
    const { reached, app } = await start();
    const answer = await rawRequest(
      app.port,
      "POST /api/auth/sign-in HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
        `Content-Length: ${100 * 1024 * 1024}\r\n\r\n{"username":`,
    );
    expect(answer.status).toBe(413);
    expect(answer.head.toLowerCase()).toContain("connection: close");
    expect(reached).toEqual([]);
  });

  it("a body without a stated length is refused with 411; one within the cap goes through", async () => {
    const { reached, app } = await start();
    const chunked = await rawRequest(
      app.port,
      "POST /api/auth/sign-in HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
        'Transfer-Encoding: chunked\r\n\r\n5\r\n{"a":\r\n',
    );
    expect(chunked.status).toBe(411);
    const ok = await fetch(`${app.url}/api/auth/sign-in`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "a".repeat(100) }),
    });
    expect(ok.status).toBe(200);
    expect(reached).toEqual(["POST /api/auth/sign-in"]);
  });

  it("JSON routes refuse other content types with 415, in the caller's language", async () => {
    const { reached, app } = await start();
    const response = await fetch(`${app.url}/api/auth/sign-in`, {
      method: "POST",
      headers: { "content-type": "text/plain", "accept-language": "zh-CN" },
      body: '{"username":"admin","password":"x"}',
    });
    expect(response.status).toBe(415);
    expect(await response.json()).toEqual({
      code: "unsupported_media_type",
      message: "请求必须以 JSON 发送(Content-Type: application/json)。",
    });
    expect(reached).toEqual([]);
  });

  it("a server action with a malformed, foreign or missing Origin is refused with 403, not 500", async () => {
    const { reached, app } = await start();
    const post = (origin?: string) =>
      fetch(`${app.url}/admin`, {
        method: "POST",
        headers: {
          "next-action": "0123456789abcdef",
          "content-type": "text/plain;charset=UTF-8",
          ...(origin === undefined ? {} : { origin }),
        },
        body: "[]",
      });
    for (const origin of ["http://[::1", "null", "http://evil.example", undefined]) {
      const response = await post(origin);
      expect(response.status, String(origin)).toBe(403);
      expect(await response.json()).toMatchObject({ code: "origin_refused" });
    }
    expect(reached).toEqual([]);
    expect((await post(app.url)).status).toBe(200);
    expect(reached).toEqual(["POST /admin"]);
  });

  it("every response carries the security headers; HSTS only with an https PUBLIC_URL", async () => {
    const { app } = await start();
    const plain = await fetch(`${app.url}/floor`);
    expect(plain.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(plain.headers.get("x-content-type-options")).toBe("nosniff");
    expect(plain.headers.get("referrer-policy")).toBe("same-origin");
    expect(plain.headers.get("strict-transport-security")).toBeNull();
    await app.stop();
    const secure = await start({ PUBLIC_URL: "https://floor.example.com" });
    const response = await fetch(`${secure.app.url}/floor`);
    expect(response.headers.get("strict-transport-security")).toContain("max-age=");
  });

  it("/metrics: not served on the main port by default; with a token only to its bearer; open on METRICS_PORT", async () => {
    const plain = await start();
    expect((await fetch(`${plain.app.url}/metrics`)).status).toBe(200);
    expect(plain.reached).toEqual(["GET /metrics"]);
    await plain.app.stop();

    const token = "metrics-token-0123456789";
    const withToken = await start({ METRICS_TOKEN: token });
    expect((await fetch(`${withToken.app.url}/metrics`)).status).toBe(401);
    const scraped = await fetch(`${withToken.app.url}/metrics`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain("floorwatch_");
    await withToken.app.stop();

    const { reached, web } = recordingWeb();
    app = await startTestApp({
      ctiPort: await closedPort(),
      companies: ["90001"],
      env: { METRICS_PORT: "0" },
      deps: { web },
    });
    const { metricsPort } = app;
    expect(metricsPort).toBeGreaterThan(0);
    const open = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(open.status).toBe(200);
    expect(await open.text()).toContain("floorwatch_");
    await fetch(`${app.url}/metrics`);
    expect(reached).toEqual(["GET /metrics"]);
  });

  it("a socket message larger than its cap closes that socket", async () => {
    const { app } = await start();
    const socket = connectSocket(app.url, {
      transports: ["websocket"],
      reconnection: false,
      auth: {
        viewer: { kind: "user", id: "u", name: "u", role: "supervisor", companies: ["90001"] },
      },
    });
    await new Promise((resolve) => socket.once("connect", () => resolve(null)));
    const closed = new Promise<string>((resolve) => socket.once("disconnect", resolve));
    socket.emit("floor:join", { companyCode: "9".repeat(64 * 1024) });
    const stillOpen = new Promise((r) => setTimeout(() => r("still open"), ANSWER_WITHIN_MS));
    expect(await Promise.race([closed, stillOpen])).toBe("transport close");
    socket.close();
  });

  it("warns at start when it listens beyond loopback with a plain-http PUBLIC_URL, and only then", async () => {
    const warned = async (env: Record<string, string>) => {
      const lines: string[] = [];
      const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString());
          done();
        },
      });
      const { app } = await start(env, pino({ level: "warn" }, sink));
      await app.stop();
      stopped();
      return lines.some((line) => line.includes("listening beyond loopback"));
    };
    expect(await warned({ HOST: "0.0.0.0" })).toBe(true);
    expect(await warned({ HOST: "127.0.0.1" })).toBe(false);
    expect(await warned({ HOST: "0.0.0.0", PUBLIC_URL: "https://floor.example.com" })).toBe(false);
  });
});
