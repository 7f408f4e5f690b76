/**
 * What the security probes send to a running Floorwatch, over real HTTP and Socket.IO only (never
 * an import of server code): JSON requests with an allowed Origin and a client address in
 * `X-Forwarded-For` (the server runs with `TRUST_PROXY=1`, so the rightmost entry is the client),
 * sign-ins, server actions posted as a browser posts them (`Next-Action` with the id from the
 * build's manifest), and bodies streamed without holding them in memory.
 */
import { readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { io, type Socket } from "socket.io-client";
import { z } from "zod";
import { cookieHeader } from "../integration/auth/harness";

export interface TAnswer {
  status: number;
  ms: number;
  headers: Headers;
  text: string;
  /** `code` of a JSON answer (`{code, message}`), when it has one. */
  code: string | undefined;
  json: unknown;
}

export interface TSendOptions {
  method?: string;
  /** The client address, put in X-Forwarded-For (the server trusts one proxy hop). */
  ip?: string;
  /** The whole X-Forwarded-For header, instead of `ip`. */
  forwardedFor?: string;
  cookie?: string;
  headers?: Record<string, string>;
  json?: unknown;
  body?: string;
  /** Origin header; the server's own by default, `null` for none. */
  origin?: string | null;
}

const ZCoded = z.object({ code: z.string() });

/** One Floorwatch at `base` (http://127.0.0.1:<port>). */
export class Floorwatch {
  constructor(
    readonly base: string,
    private readonly actions: ActionIndex,
  ) {}

  async send(pathname: string, options: TSendOptions = {}): Promise<TAnswer> {
    const headers: Record<string, string> = { "accept-language": "en", ...options.headers };
    const origin = options.origin === undefined ? this.base : options.origin;
    if (origin !== null) headers.origin = origin;
    const forwarded = options.forwardedFor ?? options.ip;
    if (forwarded) headers["x-forwarded-for"] = forwarded;
    if (options.cookie) headers.cookie = options.cookie;
    let body = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers["content-type"] ??= "application/json";
    }
    const started = performance.now();
    const response = await fetch(`${this.base}${pathname}`, {
      method: options.method ?? (body === undefined ? "GET" : "POST"),
      headers,
      ...(body === undefined ? {} : { body }),
      redirect: "manual",
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    const ms = performance.now() - started;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const coded = ZCoded.safeParse(json);
    return {
      status: response.status,
      ms,
      headers: response.headers,
      text,
      json,
      code: coded.success ? coded.data.code : undefined,
    };
  }

  /** `POST /api/auth/sign-in`; the session cookie when it succeeded. */
  async signIn(
    username: string,
    password: string,
    ip: string,
    forwardedFor?: string,
  ): Promise<TAnswer & { cookie: string | undefined }> {
    const answer = await this.send("/api/auth/sign-in", {
      json: { username, password },
      ip,
      ...(forwardedFor ? { forwardedFor } : {}),
    });
    const cookie = answer.status === 200 ? cookieHeader(answer.headers.getSetCookie()) : undefined;
    return { ...answer, cookie: cookie || undefined };
  }

  /** Signs in or throws: for the accounts a probe needs signed in. */
  async session(username: string, password: string, ip: string): Promise<string> {
    const answer = await this.signIn(username, password, ip);
    if (!answer.cookie) throw new Error(`sign-in of ${username}: ${answer.status} ${answer.text}`);
    return answer.cookie;
  }

  /**
   * Calls a server action as the browser does: a POST to a page that uses it, `Next-Action` set
   * to its id, the arguments as JSON; the answer is React's flight format, whose row the first
   * row points at (`{"a":"$@1"}`) holds the action's result.
   */
  async action(
    exportedName: string,
    input: unknown,
    cookie: string,
    ip: string,
  ): Promise<{ status: number; result: unknown }> {
    const { id, page } = this.actions.find(exportedName);
    const answer = await this.send(page, {
      body: JSON.stringify([input]),
      cookie,
      ip,
      headers: {
        "next-action": id,
        "content-type": "text/plain;charset=UTF-8",
        accept: "text/x-component",
      },
    });
    return { status: answer.status, result: flightResult(answer.text) };
  }

  /** A Socket.IO client as the floor page opens it; resolves once connected (or refused). */
  connect(cookie: string): Promise<{ socket: Socket } | { refused: string }> {
    const socket = io(this.base, {
      transports: ["websocket"],
      forceNew: true,
      reconnection: false,
      timeout: 10_000,
      extraHeaders: { origin: this.base, cookie, "accept-language": "en" },
    });
    return new Promise((resolve) => {
      socket.once("connect", () => resolve({ socket }));
      socket.once("connect_error", (error: Error & { data?: { code?: string } }) => {
        socket.close();
        resolve({ refused: error.data?.code ?? error.message });
      });
    });
  }
}

const ZFlightHead = z.object({ a: z.string().regex(/^\$@\d+$/) });

/** The action's result in a flight answer, or the raw text when it has none (an error page). */
export function flightResult(text: string): unknown {
  const rows = new Map<string, string>();
  for (const line of text.split("\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) rows.set(line.slice(0, colon), line.slice(colon + 1));
  }
  try {
    const head = ZFlightHead.parse(JSON.parse(rows.get("0") ?? ""));
    return JSON.parse(rows.get(head.a.slice(2)) ?? "");
  } catch {
    return text.slice(0, 200);
  }
}

const ZManifest = z.object({
  node: z.record(
    z.string(),
    z.object({ workers: z.record(z.string(), z.unknown()), exportedName: z.string().optional() }),
  ),
});

/** Server action ids of the build `npm start` serves (.next/server/server-reference-manifest.json). */
export class ActionIndex {
  private readonly byName = new Map<string, { id: string; page: string }>();

  constructor(root: string) {
    const file = path.join(root, ".next", "server", "server-reference-manifest.json");
    const manifest = ZManifest.parse(JSON.parse(readFileSync(file, "utf8")));
    for (const [id, entry] of Object.entries(manifest.node)) {
      const worker = Object.keys(entry.workers)[0];
      if (!entry.exportedName || !worker) continue;
      this.byName.set(entry.exportedName, { id, page: pagePath(worker) });
    }
  }

  find(exportedName: string): { id: string; page: string } {
    const found = this.byName.get(exportedName);
    if (!found) throw new Error(`no server action ${exportedName} in the build's manifest`);
    return found;
  }
}

/** `app/(auth)/login/page` → `/login`. */
function pagePath(worker: string): string {
  const segments = worker
    .replace(/^app\//, "")
    .replace(/\/?page$/, "")
    .split("/")
    .filter((segment) => segment !== "" && !/^\(.*\)$/.test(segment));
  return `/${segments.join("/")}`;
}

export interface TStreamedPost {
  status: number | null;
  /** Time to the answer's status line (or to the connection's end without one). */
  ms: number;
  /** Body bytes written before the server answered or closed. */
  bytesSent: number;
  error?: string;
}

/**
 * POSTs a body of `totalBytes` without ever holding it: one 1 MiB chunk written again and again,
 * paced by the socket. `chunked`: no Content-Length. The headers go first, and the body only if
 * no answer came within `headStartMs` (250 ms): a server that refuses on the headers is read
 * cleanly (writing into a connection the server has reset fails, and node then drops the answer
 * unread), one that waits for the body gets all of it. Writing stops at the answer.
 */
export function streamPost(
  base: string,
  pathname: string,
  totalBytes: number,
  options: {
    chunked?: boolean;
    contentType?: string;
    ip: string;
    timeoutMs: number;
    headStartMs?: number;
  },
): Promise<TStreamedPost> {
  const url = new URL(pathname, base);
  const chunk = Buffer.alloc(1024 * 1024, 0x20);
  const head = [
    `POST ${url.pathname} HTTP/1.1`,
    `Host: ${url.host}`,
    `Origin: ${base}`,
    `Content-Type: ${options.contentType ?? "application/json"}`,
    `X-Forwarded-For: ${options.ip}`,
    options.chunked ? "Transfer-Encoding: chunked" : `Content-Length: ${totalBytes}`,
    "Connection: close",
    "",
    "",
  ].join("\r\n");
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = net.connect(Number(url.port), url.hostname);
    let sent = 0;
    let received = "";
    let status: number | null = null;
    let error: string | undefined;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(headStart);
      socket.destroy();
      resolve({
        status,
        ms: Math.round(performance.now() - started),
        bytesSent: sent,
        ...(error && status === null ? { error } : {}),
      });
    };
    const timer = setTimeout(() => {
      error = "timeout";
      finish();
    }, options.timeoutMs);
    let headStart: NodeJS.Timeout | undefined;
    socket.on("data", (data: Buffer) => {
      received += data.toString("latin1");
      const line = /^HTTP\/1\.[01] (\d{3})/.exec(received);
      if (line) {
        status = Number(line[1]);
        finish();
      }
    });
    socket.on("error", (err) => (error = err.message));
    socket.on("close", finish);
    const pump = () => {
      while (!done && !socket.destroyed && sent < totalBytes) {
        const piece =
          totalBytes - sent >= chunk.length ? chunk : chunk.subarray(0, totalBytes - sent);
        sent += piece.length;
        if (options.chunked) socket.write(`${piece.length.toString(16)}\r\n`);
        const more = socket.write(piece);
        if (options.chunked) socket.write("\r\n");
        if (!more) return void socket.once("drain", pump);
      }
      if (!done && !socket.destroyed && options.chunked) socket.write("0\r\n\r\n");
    };
    socket.once("connect", () => {
      socket.write(head);
      headStart = setTimeout(pump, options.headStartMs ?? 250);
    });
  });
}
