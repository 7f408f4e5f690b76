import { execFile } from "node:child_process";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TViewer } from "@/lib/auth/viewer";
import type { PrismaClient } from "@/generated/prisma/client";
import { ZHealth } from "@/lib/health";
import { createPrismaClient } from "@/server/db";
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

const COMPANIES = ["97001", "97002"];
const COMPANY = "97001";
const LEASE_MS = 2000;
const POLL_MS = 1000;
const SUPERVISOR_AGENT = `${COMPANY}_20004`;
const METRICS_TOKEN = "cluster-test-metrics-token";
/** The target of the intervention left in flight on the node that is killed. */
const TARGET = `${COMPANY}_20001`;

const SUPERVISOR: TViewer = {
  kind: "user",
  id: "u-cluster-sup",
  name: "cluster-sup",
  role: "supervisor",
  companies: [COMPANY],
  ctiAgentId: SUPERVISOR_AGENT,
};
const VIEWER: TViewer = {
  kind: "user",
  id: "u-cluster-view",
  name: "cluster-view",
  role: "viewer",
  companies: [COMPANY],
};

interface TSimStats {
  wire: { open_channels: number; requests_by_type: Record<string, number> };
}

/**
 * [CLUSTER] Three nodes on ephemeral ports, each its own process, against one simulator and the
 * machine's Redis (a key prefix of this run, removed after): one monitor channel per company at
 * the CTI, a change in the CTI reaching sockets on every node, and kill -9 of the leader.
 */
describe("[CLUSTER] three nodes, one simulator, one Redis", () => {
  let sim: TSimProcess;
  let prefix: string;
  let databaseUrl: string;
  let db: PrismaClient;
  const nodes: Record<"a" | "b" | "c", TNode | undefined> = {
    a: undefined,
    b: undefined,
    c: undefined,
  };
  const clients: NodeFloorClient[] = [];

  const node = (name: "a" | "b" | "c"): TNode => {
    const found = nodes[name];
    if (!found) throw new Error(`node ${name} is not running`);
    return found;
  };
  const statuses = (list: TNode[]) => Promise.all(list.map((n) => n.status()));

  function nodeEnv(nodeId: string): Record<string, string> {
    return {
      NODE_ID: nodeId,
      DATABASE_URL: databaseUrl,
      CTI_PORT: String(sim.port),
      COMPANIES: COMPANIES.join(","),
      REDIS_URL,
      REDIS_PREFIX: prefix,
      LEASE_MS: String(LEASE_MS),
      POLL_INTERVAL_MS: String(POLL_MS),
      MAX_IN_FLIGHT: "100",
      CTI_REQUEST_TIMEOUT_MS: "2000",
      METRICS_TOKEN,
    };
  }

  beforeAll(async () => {
    await requireRedis();
    prefix = runPrefix();
    databaseUrl = migratedTempDatabase("fw-cluster-");
    db = createPrismaClient(databaseUrl);
    sim = await startSim({
      SIM_COMPANIES: COMPANIES.join(","),
      SIM_AGENTS: "40",
      SIM_CALL_RATE: "600",
      SIM_ARRANGE_SECONDS: "2",
    });
    // node-a first, alone: it leads both companies; then the two others join as replicas.
    nodes.a = await startNode(nodeEnv("node-a"));
    await waitFor(
      () => node("a").status(),
      (s) => s.companies.every((c) => c.leads && c.agents > 0),
      { what: "node-a leading both companies with their rosters", timeout: 15_000 },
    );
    [nodes.b, nodes.c] = await Promise.all([
      startNode(nodeEnv("node-b")),
      startNode(nodeEnv("node-c")),
    ]);
    await waitFor(
      () => statuses([node("b"), node("c")]),
      (list) => list.every((s) => s.cluster?.replicasLive.length === COMPANIES.length),
      { what: "node-b and node-c replicas live", timeout: 15_000 },
    );
  }, 90_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    await Promise.all(Object.values(nodes).map((n) => n?.kill9()));
    await sim?.kill();
    await db?.$disconnect();
    if (prefix) await removePrefix(prefix);
  });

  it("the CTI sees one monitor channel per company and one node's polling, whatever the number of nodes", async () => {
    const list = await statuses([node("a"), node("b"), node("c")]);
    for (const companyCode of COMPANIES) {
      const leaders = list.filter(
        (s) => s.companies.find((c) => c.companyCode === companyCode)?.leads,
      );
      expect(leaders.map((s) => s.nodeId)).toEqual(["node-a"]);
    }
    const agents = list[0]!.companies.reduce((n, c) => n + c.agents, 0);
    const before = await control<TSimStats>(sim, "/control/stats");
    const from = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const after = await control<TSimStats>(sim, "/control/stats");
    const seconds = (Date.now() - from) / 1000;
    expect(after.wire.open_channels).toBe(COMPANIES.length);
    const perSecond =
      ((after.wire.requests_by_type.get_status ?? 0) -
        (before.wire.requests_by_type.get_status ?? 0)) /
      seconds;
    // One node polls every agent once per interval: three nodes must not poll three times.
    const oneNode = agents / (POLL_MS / 1000);
    expect(perSecond).toBeGreaterThan(0.8 * oneNode);
    expect(perSecond).toBeLessThan(1.15 * oneNode);
  });

  it("health shows every node, the companies each leads with its lease ages, and Redis; metrics are labelled by node", async () => {
    for (const name of ["a", "b", "c"] as const) {
      // A follower's floor moves once it has applied a delta of the leader since it went live.
      const health = await waitFor(
        async () => ZHealth.parse(await (await fetch(`${node(name).url}/test/health`)).json()),
        (h) => h.cti.floorMoving,
        { what: `node-${name}'s health saying the floor moves`, timeout: 10_000 },
      );
      expect(health.status).toBe("ok");
      expect(health.cluster?.nodeId).toBe(`node-${name}`);
      expect(health.cluster?.redis.reachable).toBe(true);
      expect(health.cluster?.leaseMs).toBe(LEASE_MS);
      const nodeIds = health.cluster?.nodes.map((n) => n.nodeId);
      expect(nodeIds).toEqual(["node-a", "node-b", "node-c"]);
      expect(health.cluster?.nodes.find((n) => n.self)?.nodeId).toBe(`node-${name}`);
      const a = health.cluster!.nodes.find((n) => n.nodeId === "node-a")!;
      expect(a.leases.map((l) => l.companyCode).sort()).toEqual(COMPANIES);
      for (const lease of a.leases) {
        expect(lease.heldMs).toBeGreaterThan(0);
        expect(lease.renewedMs).toBeLessThanOrEqual(LEASE_MS);
      }
      for (const other of health.cluster!.nodes.filter((n) => n.nodeId !== "node-a"))
        expect(other.leases).toEqual([]);
      expect(health.cti.companies.map((c) => [c.companyCode, c.state, c.leader])).toEqual(
        COMPANIES.map((c) => [c, "up", "node-a"]),
      );

      const scrape = await fetch(`${node(name).url}/metrics`, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      });
      const text = await scrape.text();
      const leader = name === "a" ? 1 : 0;
      expect(text).toContain(
        `floorwatch_cluster_leader{company="${COMPANY}",node="node-${name}"} ${leader}`,
      );
      expect(text).toContain(`floorwatch_cluster_redis_up{node="node-${name}"} 1`);
      expect(text).toContain(`floorwatch_cluster_nodes{node="node-${name}"} 3`);
    }
  });

  it("a change in the CTI reaches the sockets of every node, masked for viewers", async () => {
    for (const name of ["a", "b", "c"] as const)
      clients.push(new NodeFloorClient(node(name), SUPERVISOR, COMPANY));
    const viewerOnC = new NodeFloorClient(node("c"), VIEWER, COMPANY);
    clients.push(viewerOnC);
    await waitFor(
      () => clients.map((c) => c.store.status.sync),
      (states) => states.every((s) => s === "live"),
      { what: "every client live" },
    );
    const agentId = `${COMPANY}_20010`;
    const resyncsBefore = clients.map((c) => c.resyncs.length);
    await control(sim, "/control/scenario", {
      company_code: COMPANY,
      agents: [{ agent_id: agentId, status: "CALLING", customer_number: "13912345678" }],
    });
    const uuid = (await truthAgents(sim, COMPANY)).find((a) => a.agent_id === agentId)!.uuid;
    await waitFor(
      () => clients.map((c) => c.store.getAgent(agentId)),
      (agents) => agents.every((a) => a?.status === "CALLING" && a.uuid === uuid),
      { what: `${agentId} CALLING on every node's sockets` },
    );
    // As deltas, in sequence: no socket had to start over to see it.
    for (const client of clients) {
      const carried = client.deltas.some(({ delta }) =>
        delta.agents.some((a) => a.agentId === agentId && a.uuid === uuid),
      );
      expect(carried, `a delta carried the change to ${client.node.nodeId}`).toBe(true);
    }
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(clients.map((c) => c.resyncs.length)).toEqual(resyncsBefore);
    for (const client of clients.filter((c) => c !== viewerOnC))
      expect(client.store.getAgent(agentId)?.numbers).toContain("13912345678");
    expect(viewerOnC.store.getAgent(agentId)?.numbers).toContain("139****5678");
    // One numbering for the company: every node serves the leader's epoch.
    const epochs = new Set(clients.map((c) => c.store.status.epoch));
    expect(epochs.size).toBe(1);
    expect(clients.flatMap((c) => c.errors)).toEqual([]);
  });

  it("a node whose Redis subscription drops resubscribes and its sockets go on with the leader's deltas", async () => {
    const redis = new Redis(REDIS_URL);
    try {
      const list = String(await redis.call("CLIENT", "LIST", "TYPE", "pubsub"));
      const ids = list
        .split("\n")
        .filter((line) => line.includes("name=floorwatch:node-b:sub"))
        .map((line) => /id=(\d+)/.exec(line)?.[1]);
      // One, or two while a reconnect made under load has not yet seen the old one go.
      expect(ids.length).toBeGreaterThanOrEqual(1);
      for (const id of ids) await redis.call("CLIENT", "KILL", "ID", id!);
    } finally {
      redis.disconnect();
    }
    // Long enough to reconnect: what follows must come through the new subscription.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const onB = clients.filter((c) => c.node.nodeId === "node-b");
    const agentId = `${COMPANY}_20012`;
    await control(sim, "/control/scenario", {
      company_code: COMPANY,
      agents: [{ agent_id: agentId, status: "CALLING", customer_number: "13500000000" }],
    });
    // A new call: its uuid is one node-b cannot have seen before the drop.
    const uuid = (await truthAgents(sim, COMPANY)).find((a) => a.agent_id === agentId)!.uuid;
    expect(onB).toHaveLength(1);
    await waitFor(
      () => onB.map((c) => c.store.getAgent(agentId)?.uuid),
      (list) => list.every((u) => u === uuid),
      { what: "the change on node-b's sockets after its subscription dropped", timeout: 10_000 },
    );
    const carried = onB[0]!.deltas.some(({ delta }) =>
      delta.agents.some((a) => a.agentId === agentId && a.uuid === uuid),
    );
    expect(carried, "a delta carried the change to node-b").toBe(true);
    expect(onB[0]!.resyncs.length).toBeLessThanOrEqual(1);
  });

  it("kill -9 of the leader: the floor resumes on the survivors within the lease plus one poll interval, each socket resyncing once", async () => {
    // An intervention left in flight on node-a: the CTI takes the request and never answers.
    await control(sim, "/control/scenario", {
      company_code: COMPANY,
      agents: [{ agent_id: TARGET, status: "CALLING", customer_number: "13700000000" }],
    });
    const callUuid = (await truthAgents(sim, COMPANY)).find((a) => a.agent_id === TARGET)!.uuid!;
    const onA = clients.find((c) => c.node.nodeId === "node-a")!;
    await waitFor(
      () => onA.store.getAgent(TARGET)?.uuid,
      (u) => u === callUuid,
      { what: "target in call on node-a" },
    );
    await control(sim, "/control/faults", { msg_type: "interrupt_call", code: "0", silent: true });
    const sent = new Promise<unknown>((resolve) => node("a").child.once("message", resolve));
    node("a").child.send({ cmd: "intervene", viewer: SUPERVISOR, targetAgentId: TARGET, callUuid });
    expect(await sent).toMatchObject({ event: "sent" });

    const survivors = clients.filter((c) => c.node.nodeId !== "node-a");
    const oldEpoch = survivors[0]!.store.status.epoch;
    const resyncsBefore = survivors.map((c) => c.resyncs.length);
    const killedAt = Date.now();
    await node("a").kill9();
    nodes.a = undefined;
    // A change in the CTI after the leader is gone.
    const moved = `${COMPANY}_20011`;
    await control(sim, "/control/scenario", {
      company_code: COMPANY,
      agents: [{ agent_id: moved, status: "CALLING", customer_number: "13600000000" }],
    });

    /** When each survivor socket first got a delta of the new epoch carrying a CTI confirmation made after the kill. */
    const resumedAt = (client: NodeFloorClient) =>
      client.deltas.find(
        ({ delta }) =>
          delta.epoch !== oldEpoch &&
          delta.agents.some((a) => a.via !== "roster" && a.confirmedAt >= killedAt),
      )?.at;
    const resumed = await waitFor(
      () => survivors.map(resumedAt),
      (list) => list.every((at) => at !== undefined),
      { what: "the floor resuming on every survivor", timeout: LEASE_MS + POLL_MS + 5000 },
    );
    const failoverMs = Math.max(...resumed.map((at) => at! - killedAt));
    expect(failoverMs).toBeLessThanOrEqual(LEASE_MS + POLL_MS);

    await waitFor(
      () => survivors.map((c) => c.store.getAgent(moved)?.status),
      (list) => list.every((s) => s === "CALLING"),
      { what: "the change made after the kill on every survivor socket" },
    );
    // Let any second resync show itself.
    await new Promise((resolve) => setTimeout(resolve, 2 * LEASE_MS));
    const resyncs = survivors.map((c, i) => c.resyncs.slice(resyncsBefore[i]).map((r) => r.reason));
    expect(resyncs).toEqual(survivors.map(() => ["epoch"]));
    expect(new Set(survivors.map((c) => c.store.status.epoch)).size).toBe(1);
    expect(survivors[0]!.store.status.epoch).not.toBe(oldEpoch);
    expect(survivors.every((c) => c.store.status.sync === "live")).toBe(true);

    const list = await statuses([node("b"), node("c")]);
    for (const companyCode of COMPANIES) {
      const leaders = list.filter(
        (s) => s.companies.find((c) => c.companyCode === companyCode)?.leads,
      );
      expect(leaders).toHaveLength(1);
    }
    const stats = await control<TSimStats>(sim, "/control/stats");
    expect(stats.wire.open_channels).toBe(COMPANIES.length);
  }, 60_000);

  it("the intervention in flight on the lost node ends INTERRUPTED, marked by a survivor", async () => {
    const row = await waitFor(
      () => db.intervention.findFirst({ where: { callUuid: { not: "" }, targetAgentId: TARGET } }),
      (r) => r?.stage === "interrupted",
      { what: "the intervention INTERRUPTED", timeout: 3 * LEASE_MS + 5000, interval: 100 },
    );
    expect(row).toMatchObject({ nodeId: "node-a", outcome: "interrupted" });
    const events = await db.auditEvent.findMany({
      where: { interventionId: row!.id },
      orderBy: { id: "asc" },
    });
    expect(events.map((e) => e.type)).toEqual([
      "intervention.requested",
      "intervention.sent",
      "intervention.interrupted",
    ]);
    expect(events.at(-1)).toMatchObject({ actorKind: "system", actorName: "node-lost" });
    // Nothing the killed node and the survivors appended is lost or forked: the one chain
    // verifies, as an operator runs it (`npm run audit:verify`).
    const verified = await new Promise<{ code: number; stdout: string }>((resolve) =>
      execFile(
        "npm",
        ["run", "--silent", "audit:verify"],
        { env: { ...process.env, DATABASE_URL: databaseUrl } },
        (error, stdout) =>
          resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout }),
      ),
    );
    const summary = JSON.parse(verified.stdout.trim().split("\n").at(-1) ?? "{}") as {
      ok?: boolean;
      checked?: number;
    };
    expect(verified.code, verified.stdout).toBe(0);
    expect(summary.ok).toBe(true);
    expect(summary.checked).toBe(await db.auditEvent.count());
  }, 60_000);

  it("a clean stop releases its leases: the other node takes over without waiting for them to expire", async () => {
    const list = await statuses([node("b"), node("c")]);
    const leader = list.find((s) => s.companies.some((c) => c.leads))!;
    const [stopping, staying] =
      leader.nodeId === "node-b" ? (["b", "c"] as const) : (["c", "b"] as const);
    const stoppedAt = Date.now();
    await node(stopping).stop();
    nodes[stopping] = undefined;
    // The process is gone: none of its leases may still stand in Redis.
    const redis = new Redis(REDIS_URL);
    try {
      const holders = await redis.mget(COMPANIES.map((c) => `${prefix}lease:${c}`));
      for (const holder of holders) expect(holder ?? "").not.toMatch(`node-${stopping}#`);
    } finally {
      redis.disconnect();
    }
    await waitFor(
      () => node(staying).status(),
      (s) => s.companies.every((c) => c.leads),
      { what: `node-${staying} leading every company`, timeout: 2 * LEASE_MS },
    );
    expect(Date.now() - stoppedAt).toBeLessThan(LEASE_MS);
  }, 30_000);
});
