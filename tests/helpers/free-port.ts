import { execFileSync } from "node:child_process";
import { createServer, type AddressInfo, type Server } from "node:net";
import { z } from "zod";

/**
 * Ports the kernel reports free right now, for servers the tests start as child processes (which
 * cannot report back a port chosen with 0). Each is released before it is returned, so another
 * process could take it first; that window is milliseconds, where a fixed port is taken for
 * certain by a second run on the same machine. All are held at once, so they differ.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, () => listenOnZero()));
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

function listenOnZero(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

/** The script `freePortsSync` runs: the same as `freePorts`, in plain JavaScript. */
const CHILD_SCRIPT = `
const { createServer } = require("node:net");
const count = Number(process.argv[1]);
const servers = [];
const done = () => {
  console.log(JSON.stringify(servers.map((s) => s.address().port)));
  for (const s of servers) s.close();
};
for (let i = 0; i < count; i++) {
  const s = createServer();
  servers.push(s);
  s.listen(0, "127.0.0.1", () => { if (servers.every((x) => x.listening)) done(); });
}
`;

const ZPorts = z.array(z.number().int().min(1).max(65_535));

/** `freePorts` for code that must stay synchronous (playwright.config.ts): asked of a child node. */
export function freePortsSync(count: number): number[] {
  const out = execFileSync(process.execPath, ["-e", CHILD_SCRIPT, String(count)], {
    encoding: "utf8",
    timeout: 10_000,
  });
  return ZPorts.length(count).parse(JSON.parse(out));
}
