import { io as connect, type Socket } from "socket.io-client";
import type { TViewer } from "@/lib/auth/viewer";
import type { ClientToServerEvents, ServerToClientEvents } from "@/lib/realtime/events";
import { startTestApp, type TTestApp } from "../../helpers/app";

export type TClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * Several nodes of one installation in this process, each a full app (createApp) on its own
 * port with its own NODE_ID, sharing one Redis prefix, one database and one CTI.
 */
export async function startNodes(options: {
  names: string[];
  ctiPort: number;
  companies: string[];
  redis: { url: string; prefix: string };
  env?: Record<string, string>;
  seatDirectoryTtlMs?: number;
}): Promise<TTestApp[]> {
  const nodes: TTestApp[] = [];
  for (const name of options.names) {
    nodes.push(
      await startTestApp({
        ctiPort: options.ctiPort,
        companies: options.companies,
        env: {
          REDIS_URL: options.redis.url,
          REDIS_PREFIX: options.redis.prefix,
          NODE_ID: name,
          ...options.env,
        },
        ...(options.seatDirectoryTtlMs
          ? { deps: { seatDirectoryTtlMs: options.seatDirectoryTtlMs } }
          : {}),
      }),
    );
  }
  return nodes;
}

/** A browser's socket on one node, signed in as `viewer` (test handshake); resolves once connected. */
export async function connectSocket(url: string, viewer: TViewer): Promise<TClientSocket> {
  const socket: TClientSocket = connect(url, {
    transports: ["websocket"],
    auth: { viewer },
    forceNew: true,
    reconnection: false,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  return socket;
}

/** Resolves with the first `event` payload that `accept` takes (or rejects after `timeoutMs`). */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: TClientSocket,
  event: E,
  accept: (payload: Parameters<ServerToClientEvents[E]>[0]) => boolean,
  timeoutMs = 8000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener as never);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (payload: Parameters<ServerToClientEvents[E]>[0]) => {
      if (!accept(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener as never);
      resolve(payload);
    };
    socket.on(event, listener as never);
  });
}
