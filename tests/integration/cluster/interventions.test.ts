import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TViewer } from "@/lib/auth/viewer";
import type { TOperation } from "@/lib/interventions/types";
import type { TTestApp } from "../helpers/app";
import { testRedis } from "../helpers/redis";
import { control, startSim, truthAgents, type TSimProcess } from "../floor/helpers/sim";
import { waitFor } from "../floor/helpers/wait";
import { connectSocket, nextEvent, startNodes, type TClientSocket } from "./helpers/nodes";

const COMPANY = "97001";
const PASSWORD = "Aa123321.";
const META = { ip: "127.0.0.1", userAgent: "vitest" };

function supervisor(id: string, name: string, agent: string): TViewer {
  return { kind: "user", id, name, role: "supervisor", companies: [COMPANY], ctiAgentId: agent };
}
const ALICE = supervisor("u-alice", "alice", `${COMPANY}_20004`);
const BOB = supervisor("u-bob", "bob", `${COMPANY}_20029`);
/** Watches the company's floor from node C: sees every intervention's progress. */
const WATCHER = supervisor("u-watch", "watch", `${COMPANY}_20054`);

/**
 * [CLUSTER] Three nodes on one Redis and one simulator. Alice's seat is linked on node A, Bob's
 * on node C; their interventions enter through any node and run once, on the seat's node, with
 * the call lock and idempotency keys shared; broadcasts reach sockets on every node.
 */
describe("[CLUSTER] interventions and seats across nodes", () => {
  let sim: TSimProcess;
  let redis: Awaited<ReturnType<typeof testRedis>>;
  let a: TTestApp, b: TTestApp, c: TTestApp;
  let watcher: TClientSocket;
  let nextAgent = 20000;

  beforeAll(async () => {
    redis = await testRedis("cluster-interventions");
    sim = await startSim({ SIM_COMPANIES: COMPANY, SIM_AGENTS: "80", SIM_CALL_RATE: "0" });
    [a, b, c] = (await startNodes({
      names: ["node-a", "node-b", "node-c"],
      ctiPort: sim.port,
      companies: [COMPANY],
      redis,
      env: { POLL_INTERVAL_MS: "300", INTERVENTION_CONFIRM_MS: "4000" },
    })) as [TTestApp, TTestApp, TTestApp];
    for (const node of [a, b, c])
      await waitFor(() => node.services.floor.store(COMPANY)?.hasRoster, Boolean, {
        what: "roster",
        timeout: 20_000,
      });
    for (const [node, viewer] of [
      [a, ALICE],
      [c, BOB],
    ] as const) {
      const linked = await node.services.interventions.seats.link(
        viewer,
        { password: PASSWORD },
        META,
      );
      expect(linked, JSON.stringify(linked)).toMatchObject({ ok: true, data: { state: "linked" } });
    }
    watcher = await connectSocket(c.url, WATCHER);
    expect(await watcher.emitWithAck("floor:join", { companyCode: COMPANY })).toMatchObject({
      ok: true,
    });
  }, 90_000);
  afterAll(async () => {
    watcher?.close();
    for (const node of [a, b, c]) await node?.stop();
    await sim?.kill();
    await redis?.cleanup();
  });

  /** A fresh agent in a call, as the floors of `nodes` show it. */
  async function agentInCall(...nodes: TTestApp[]): Promise<{ agentId: string; callUuid: string }> {
    nextAgent += 1;
    if ((nextAgent - 20004) % 25 === 0) nextAgent += 1; // supervisors
    const agentId = `${COMPANY}_${nextAgent}`;
    await control(sim, "/control/scenario", {
      company_code: COMPANY,
      agents: [{ agent_id: agentId, status: "CALLING", customer_number: "13912345678" }],
    });
    const callUuid = (await truthAgents(sim, COMPANY)).find((x) => x.agent_id === agentId)!.uuid!;
    for (const node of nodes)
      await waitFor(
        () => node.services.floor.store(COMPANY)?.agent(agentId)?.uuid,
        (uuid) => uuid === callUuid,
        { what: `${agentId} in call on ${node.services.config.nodeId}` },
      );
    return { agentId, callUuid };
  }

  function run(
    node: TTestApp,
    operation: TOperation,
    viewer: TViewer,
    target: { agentId: string; callUuid: string },
    key: string = crypto.randomUUID(),
  ) {
    return node.services.interventions.pipeline.run(
      operation,
      viewer,
      {
        companyCode: COMPANY,
        targetAgentId: target.agentId,
        callUuid: target.callUuid,
        reason: "cluster test",
        idempotencyKey: key,
      },
      META,
    );
  }

  async function requests(msgType: string): Promise<number> {
    const stats = await control<{ wire: { requests_by_type: Record<string, number> } }>(
      sim,
      "/control/stats",
    );
    return stats.wire.requests_by_type[msgType] ?? 0;
  }

  it("a force hang-up sent through node B runs once on Alice's seat on node A; node C's sockets see it", async () => {
    const target = await agentInCall(a);
    const before = await requests("interrupt_call");
    const confirmedOnC = nextEvent(
      watcher,
      "intervention:updated",
      (v) => v.targetAgentId === target.agentId && v.stage === "confirmed",
    );
    expect(b.services.interventions.seats.seat(ALICE.id)).toBeUndefined();
    const result = await run(b, "interrupt_call", ALICE, target);
    expect(result, JSON.stringify(result)).toMatchObject({
      ok: true,
      data: { actorName: "alice", seatAgentId: ALICE.ctiAgentId, targetAgentId: target.agentId },
    });
    expect(await requests("interrupt_call")).toBe(before + 1);
    const confirmed = await confirmedOnC;
    expect(confirmed.timeline.map((t) => t.stage)).toEqual([
      "requested",
      "sent",
      "acked",
      "confirmed",
    ]);
  });

  it("the same idempotency key on node B while node A's request waits for the CTI: one request, one answer", async () => {
    const target = await agentInCall(a);
    // The CTI takes the request and never answers: A's request is in flight for its timeout.
    await control(sim, "/control/faults", { msg_type: "interrupt_call", code: "0", silent: true });
    const before = await requests("interrupt_call");
    const key = crypto.randomUUID();
    const onA = run(a, "interrupt_call", ALICE, target, key);
    await waitFor(
      () => a.services.db.intervention.findFirst({ where: { idempotencyKey: key } }),
      (row) => row?.stage === "sent",
      { what: "the first request sent" },
    );
    const onB = await run(b, "interrupt_call", ALICE, target, key);
    // B waited for A's answer under the shared key: the same answer, not a second attempt.
    expect(onB).toEqual(await onA);
    expect(onB).toEqual({ ok: false, code: "cti_timeout" });
    expect(await requests("interrupt_call")).toBe(before + 1);
    const rows = await a.services.db.intervention.findMany({ where: { idempotencyKey: key } });
    expect(rows).toHaveLength(1);
  });

  it("two supervisors on one call through different nodes: one wins, the other is told who", async () => {
    const target = await agentInCall(a, c);
    const before = await requests("interrupt_call");
    // Alice (seat on A) enters through B, Bob (seat on C) through A.
    const results = await Promise.all([
      run(b, "interrupt_call", ALICE, target),
      run(a, "interrupt_call", BOB, target),
    ]);
    const won = results.filter((r) => r.ok);
    const lost = results.filter((r) => !r.ok);
    expect(won, JSON.stringify(results)).toHaveLength(1);
    const winner = won[0]!.ok ? won[0]!.data.actorName : "";
    expect(lost).toEqual([
      {
        ok: false,
        code: "intervention_in_progress",
        // The winner's stage when the loser asked: under load it may already be confirmed (its
        // lock is released only after its outcome is recorded).
        values: {
          name: winner,
          stage: expect.stringMatching(/^(requested|sent|acked|confirmed)$/),
        },
      },
    ]);
    expect(await requests("interrupt_call")).toBe(before + 1);
  });

  it("the header's seat and FREE/BUSY work from any node", async () => {
    const aliceOnB = await connectSocket(b.url, ALICE);
    try {
      expect(await b.services.interventions.seats.current(ALICE.id)).toMatchObject({
        state: "linked",
        agentId: ALICE.ctiAgentId,
        agentStatus: "FREE",
      });
      const busy = nextEvent(aliceOnB, "seat:updated", (s) => s.agentStatus === "BUSY");
      const set = await b.services.interventions.seats.setAgentStatus(ALICE.id, "BUSY");
      expect(set).toMatchObject({ ok: true, data: { state: "linked", agentStatus: "BUSY" } });
      await busy;
      const truth = (await truthAgents(sim, COMPANY)).find((x) => x.agent_id === ALICE.ctiAgentId);
      expect(truth?.status).toBe("BUSY");
      await waitFor(
        () => b.services.interventions.seats.current(ALICE.id),
        (s) => s.agentStatus === "BUSY",
        { what: "Alice's seat BUSY in the directory" },
      );
      expect(await c.services.interventions.seats.setAgentStatus(ALICE.id, "FREE")).toMatchObject({
        ok: true,
        data: { agentStatus: "FREE" },
      });
    } finally {
      aliceOnB.close();
    }
  });

  it("a node that starts leaves the seats alive on other nodes open in the audit log", async () => {
    const [d] = await startNodes({
      names: ["node-d"],
      ctiPort: sim.port,
      companies: [COMPANY],
      redis,
    });
    try {
      const closed = await d!.services.db.auditEvent.findMany({ where: { type: "seat.unlinked" } });
      expect(closed.map((e) => JSON.parse(e.data))).not.toContainEqual(
        expect.objectContaining({ reason: "restart" }),
      );
      expect(await d!.services.interventions.seats.current(ALICE.id)).toMatchObject({
        state: "linked",
      });
      expect(a.services.interventions.seats.seat(ALICE.id)).toBeDefined();
    } finally {
      await d?.stop();
    }
  });

  it("evicting a user on node A drops that user's sockets on node B", async () => {
    const socket = await connectSocket(b.url, BOB);
    const gone = new Promise<string>((resolve) => socket.once("disconnect", resolve));
    a.services.gateway.evict("user", BOB.id);
    expect(await gone).toBe("io server disconnect");
  });

  it("linking again on node B moves Bob's seat from node C: checked out there first, no 'in use' question", async () => {
    const moved = await b.services.interventions.seats.link(BOB, { password: PASSWORD }, META);
    expect(moved).toMatchObject({ ok: true, data: { state: "linked" } });
    expect(c.services.interventions.seats.view(BOB.id).state).toBe("unlinked");
    expect(b.services.interventions.seats.seat(BOB.id)).toBeDefined();
    const events = await b.services.db.auditEvent.findMany({
      where: { type: "seat.unlinked", actorId: BOB.id },
    });
    expect(events.map((e) => JSON.parse(e.data))).toEqual([
      { agentId: BOB.ctiAgentId, reason: "relinked" },
    ]);
    const target = await agentInCall(b);
    const result = await run(a, "interrupt_call", BOB, target);
    expect(result).toMatchObject({ ok: true, data: { actorName: "bob" } });
  });

  it("unlinking through node B checks Alice's seat out on node A", async () => {
    const result = await b.services.interventions.seats.unlink(ALICE.id, META, "unlinked");
    expect(result).toMatchObject({ ok: true, data: { state: "unlinked" } });
    expect(a.services.interventions.seats.view(ALICE.id).state).toBe("unlinked");
    expect(await c.services.interventions.seats.current(ALICE.id)).toMatchObject({
      state: "unlinked",
    });
    const events = await a.services.db.auditEvent.findMany({
      where: { type: "seat.unlinked", actorId: ALICE.id },
    });
    expect(events.map((e) => JSON.parse(e.data))).toContainEqual({
      agentId: ALICE.ctiAgentId,
      reason: "unlinked",
    });
    const target = await agentInCall(a);
    expect(await run(b, "interrupt_call", ALICE, target)).toEqual({
      ok: false,
      code: "seat_not_linked",
    });
  });
});
