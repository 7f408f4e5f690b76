import type { Server } from "socket.io";
import { lookup } from "../registry";

export const SOCKET_SERVER_KEY = "socket.io";

/** Every socket of one signed-in user or one display token joins this room at connection. */
export function principalRoom(kind: "user" | "display", id: string): string {
  return `principal:${kind}:${id}`;
}

/**
 * Drops every live socket of a user or display token at once: its sessions were ended or its
 * rights changed. A socket is authorized at its handshake, so without this a revoked wall or a
 * disabled viewer would keep receiving the floor. A browser that still has a valid session
 * reconnects and is checked again.
 */
export function evictPrincipal(kind: "user" | "display", id: string): void {
  lookup<Server>(SOCKET_SERVER_KEY)?.in(principalRoom(kind, id)).disconnectSockets(true);
}
