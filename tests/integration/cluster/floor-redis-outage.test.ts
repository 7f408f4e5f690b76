import { createServer, connect, type AddressInfo, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TViewer } from "@/lib/auth/viewer";
import { ZHealth } from "@/lib/health";
import { migratedTempDatabase } from "../helpers/database";
import { control, startSim, truthAgents, type TSimProcess } from "../floor/helpers/sim";
import { waitFor } from "../floor/helpers/wait";
import {
  NodeFloorClient,
  REDIS_URL,
  removePrefix,
  requireRedis,
  runPrefix,
  startNode,
  type TNode,
} from "./helpers/cluster";

const COMPANY = "97101";
const LEASE_MS = 2000;
const POLL_MS = 1000;

const SUPERVISOR: TViewer = {
  kind: "user",
  id: "u-outage",
  name: "outage",
  role: "supervisor",
  companies: [COMPANY],
};

/** A TCP hop in front of Redis that the test can cut (every connection dropped, new ones refused). */
async function cuttableProxy(target: URL): Promise<{
  url: string;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}> {
  const sockets = new Set<Socket>();
  let open = true;
  const server: Server = createServer((client) => {
    if (!open) return void client.destroy();
    const upstream = connect(Number(target.port || 6379), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}`,
    cut() {
      open = false;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      open = true;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

interface TSimStats {
  wire: { open_channels: number };
}

/**
 * [CLUSTER] Redis goes away and comes back: the leader stops polling within the lease (never two
 * pollers), the nodes say Redis is unreachable and the link is not up; when Redis is back, one
 * node leads again, the floor moves, and a browser resyncs once.
 */
describe("[CLUSTER] Redis outage", () => {
  let sim: TSimProcess;
  let prefix: string;
  let proxy: Awaited<ReturnType<typeof cuttableProxy>>;
  const nodes: TNode[] = [];
  let client: NodeFloorClient | undefined;

  beforeAll(async () => {
    await requireRedis();
    prefix = runPrefix();
    proxy = await cuttableProxy(new URL(REDIS_URL));
    sim = await startSim({ SIM_COMPANIES: COMPANY, SIM_AGENTS: "30", SIM_CALL_RATE: "600" });
    const databaseUrl = migratedTempDatabase("fw-outage-");
    const env = (nodeId: string) => ({
      NODE_ID: nodeId,
      DATABASE_URL: databaseUrl,
      CTI_PORT: String(sim.port),
      COMPANIES: COMPANY,
      REDIS_URL: proxy.url,
      REDIS_PREFIX: prefix,
      LEASE_MS: String(LEASE_MS),
      POLL_INTERVAL_MS: String(POLL_MS),
    });
    nodes.push(await startNode(env("outage-a")));
    await waitFor(
      () => nodes[0]!.status(),
      (s) => s.companies.every((c) => c.leads && c.agents > 0),
      { what: "outage-a leading", timeout: 15_000 },
    );
    nodes.push(await startNode(env("outage-b")));
    await waitFor(
      () => nodes[1]!.status(),
      (s) => s.cluster?.replicasLive.length === 1,
      { what: "outage-b's replica live", timeout: 15_000 },
    );
  }, 60_000);

  afterAll(async () => {
    client?.close();
    await Promise.all(nodes.map((n) => n.kill9()));
    await sim?.kill();
    await proxy?.close();
    if (prefix) await removePrefix(prefix);
  });

  it("the leader stops polling within the lease, never two pollers, and polling resumes once Redis is back", async () => {
    client = new NodeFloorClient(nodes[1]!, SUPERVISOR, COMPANY);
    await waitFor(
      () => client!.store.status.sync,
      (s) => s === "live",
      { what: "client live" },
    );
    const epochBefore = client.store.status.epoch;
    const channels: number[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        channels.push((await control<TSimStats>(sim, "/control/stats")).wire.open_channels);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();

    const cutAt = Date.now();
    proxy.cut();
    await waitFor(
      async () => (await control<TSimStats>(sim, "/control/stats")).wire.open_channels,
      (open) => open === 0,
      { what: "the leader's monitor channel closed", timeout: LEASE_MS + 1000 },
    );
    expect(Date.now() - cutAt).toBeLessThanOrEqual(LEASE_MS);
    const health = await waitFor(
      async () => ZHealth.parse(await (await fetch(`${nodes[1]!.url}/test/health`)).json()),
      (h) => h.cluster?.redis.reachable === false && h.cti.companies[0]?.state !== "up",
      { what: "outage-b reporting Redis unreachable and the link not up", timeout: 5000 },
    );
    expect(health.status).not.toBe("ok");

    const restoredAt = Date.now();
    proxy.restore();
    await waitFor(
      async () => (await control<TSimStats>(sim, "/control/stats")).wire.open_channels,
      (open) => open === 1,
      { what: "one monitor channel again", timeout: 3 * LEASE_MS + 5000 },
    );
    // A change in the CTI once Redis is back reaches outage-b's socket, in a new epoch.
    const agentId = `${COMPANY}_20010`;
    await control(sim, "/control/scenario", {
      company_code: COMPANY,
      agents: [{ agent_id: agentId, status: "CALLING", customer_number: "13400000000" }],
    });
    const uuid = (await truthAgents(sim, COMPANY)).find((a) => a.agent_id === agentId)!.uuid;
    await waitFor(
      () =>
        client!.deltas.some(
          ({ delta }) =>
            delta.epoch !== epochBefore &&
            delta.agents.some((a) => a.agentId === agentId && a.uuid === uuid),
        ),
      Boolean,
      { what: "the change on outage-b's socket", timeout: 3 * LEASE_MS + 5000 },
    );
    expect(Date.now() - restoredAt).toBeLessThanOrEqual(3 * LEASE_MS + POLL_MS);
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS));
    sampling = false;
    await sampler;
    expect(Math.max(...channels)).toBe(1);
    expect(client.resyncs.map((r) => r.reason)).toEqual(["epoch"]);
    expect(client.store.status.sync).toBe("live");
  }, 60_000);
});
