/**
 * Child process of `npm run bench:floor`: a transparent TCP proxy in front of the CTI (the
 * simulator), one listener per design under test, so that what ARRIVES at the CTI is counted
 * per design even while both run against the same simulator. Bytes are passed on unchanged in
 * both directions (Nagle off, as ws sets it); a copy is read to count channels, HTTP requests and
 * WebSocket messages by msg_type (tests/bench/wire-counter.ts).
 *
 * Env: BENCH_PROXY_UPSTREAM_PORT (loopback), BENCH_PROXY_LABELS (`ours,naive`).
 * IPC: sends `{ready, ports}` once listening; answers `{cmd: "counts"}` with `{at, counts}`.
 */
import { createServer, connect, type AddressInfo, type Server } from "node:net";
import { ConnectionCounter, emptyCounts, type TWireCounts } from "./wire-counter";

const upstreamPort = Number(process.env.BENCH_PROXY_UPSTREAM_PORT);
const labels = (process.env.BENCH_PROXY_LABELS ?? "ours").split(",");
const counts: Record<string, TWireCounts> = {};

function listen(label: string): Promise<number> {
  const server: Server = createServer((client) => {
    const upstream = connect(upstreamPort, "127.0.0.1");
    const counter = new ConnectionCounter((counts[label] ??= emptyCounts()));
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    client.on("data", (chunk: Buffer) => counter.fromClient(chunk));
    upstream.on("data", (chunk: Buffer) => counter.fromServer(chunk));
    client.pipe(upstream);
    upstream.pipe(client);
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      counter.closed();
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.on("error", close);
      socket.on("close", close);
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
}

async function main(): Promise<void> {
  const ports: Record<string, number> = {};
  for (const label of labels) {
    counts[label] = emptyCounts();
    ports[label] = await listen(label);
  }
  process.on("message", (message: { cmd?: string }) => {
    if (message.cmd === "counts") process.send?.({ at: Date.now(), counts });
  });
  process.send?.({ ready: true, ports });
}

// The bench died or is done: do not outlive it.
process.on("disconnect", () => process.exit(0));
process.on("SIGTERM", () => process.exit(0));
main().catch((error: unknown) => {
  process.stderr.write(`cti-proxy: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
