import "server-only";
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { processGlobals } from "./globals";

/**
 * This process's node id when NODE_ID is unset: host, pid and a random part, so two processes
 * never share one even on one host or after a pid is reused. Made once per process (the
 * Next.js bundles and server/index.ts see the same one).
 */
export function defaultNodeId(): string {
  const globals = processGlobals();
  globals.nodeId ??= `${safe(hostname())}-${process.pid}-${randomBytes(3).toString("hex")}`;
  return globals.nodeId;
}

/** The node id this process logs with: NODE_ID (validated at start by loadConfig) or the default. */
export function processNodeId(): string {
  return process.env.NODE_ID || defaultNodeId();
}

/** NODE_ID allows letters, digits, `_`, `.` and `-`; a host name may have others. */
function safe(host: string): string {
  return (host.replace(/[^\w.-]/g, "_") || "node").slice(0, 40);
}
