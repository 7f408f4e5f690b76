import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TViewer } from "@/lib/auth/viewer";
import type { TServiceResult } from "@/server/action-client";
import type { TSeatView } from "@/lib/interventions/types";
import type { TTestApp } from "../helpers/app";
import { migratedTempDatabase } from "../helpers/database";
import { testRedis } from "../helpers/redis";
import { control, startSim, truthAgents, type TSimProcess } from "../floor/helpers/sim";
import { waitFor } from "../floor/helpers/wait";
import { connectSocket, nextEvent, startNodes } from "./helpers/nodes";
import { startNodeProcess, type TNodeProcess } from "./helpers/node-process";

const COMPANY = "97101";
const PASSWORD = "Aa123321.";
const META = { ip: "127.0.0.1", userAgent: "vitest" };
const TTL_MS = 1500;
const ALICE: TViewer = {
  kind: "user",
  id: "u-alice-gone",
  name: "alice",
  role: "supervisor",
  companies: [COMPANY],
  ctiAgentId: `${COMPANY}_20004`,
};

/**
 * [CLUSTER] A seat's node dies (SIGKILL: nothing unlinked, nothing said). Alice's next
 * intervention through another node is answered "link again", the seat is closed once in the
 * audit log by one survivor, her header on a survivor says why, and she links again there.
 */
describe("[CLUSTER] a seat whose node is gone", () => {
  let sim: TSimProcess;
  let redis: Awaited<ReturnType<typeof testRedis>>;
  let nodeA: TNodeProcess;
  let b: TTestApp, c: TTestApp;

  beforeAll(async () => {
    redis = await testRedis("cluster-gone");
    process.env.DATABASE_URL ??= migratedTempDatabase("fw-cluster-");
    sim = await startSim({ SIM_COMPANIES: COMPANY, SIM_AGENTS: "60", SIM_CALL_RATE: "0" });
    const shared = { REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix };
    nodeA = await startNodeProcess({
      ...shared,
      NODE_ID: "node-a",
      CTI_PORT: String(sim.port),
      COMPANIES: COMPANY,
      DATABASE_URL: process.env.DATABASE_URL,
      TEST_SEAT_DIRECTORY_TTL_MS: String(TTL_MS),
      LOG_LEVEL: "silent",
    });
    [b, c] = (await startNodes({
      names: ["node-b", "node-c"],
      ctiPort: sim.port,
      companies: [COMPANY],
      redis,
      seatDirectoryTtlMs: TTL_MS,
    })) as [TTestApp, TTestApp];
    await waitFor(() => b.services.floor.store(COMPANY)?.hasRoster, Boolean, { what: "roster" });
  }, 90_000);
  afterAll(async () => {
    await nodeA?.kill();
    for (const node of [b, c]) await node?.stop();
    await sim?.kill();
    await redis?.cleanup();
  });

  it("tells Alice to link again, closes her seat once, and lets her link on a survivor", async () => {
    const linked = await nodeA.call<TServiceResult<TSeatView>>("link", {
      viewer: ALICE,
      password: PASSWORD,
    });
    expect(linked).toMatchObject({ ok: true, data: { state: "linked" } });
    expect(await b.services.interventions.seats.current(ALICE.id)).toMatchObject({
      state: "linked",
      agentId: ALICE.ctiAgentId,
    });
    const aliceOnB = await connectSocket(b.url, ALICE);
    const told = nextEvent(aliceOnB, "seat:updated", (s) => s.reason === "node_gone", 15_000);

    await nodeA.kill();
    await control(sim, "/control/scenario", {
      company_code: COMPANY,
      agents: [{ agent_id: `${COMPANY}_20001`, status: "CALLING", customer_number: "13912345678" }],
    });
    const callUuid = (await truthAgents(sim, COMPANY)).find(
      (x) => x.agent_id === `${COMPANY}_20001`,
    )!.uuid!;
    const result = await b.services.interventions.pipeline.run(
      "interrupt_call",
      ALICE,
      {
        companyCode: COMPANY,
        targetAgentId: `${COMPANY}_20001`,
        callUuid,
        reason: "",
        idempotencyKey: crypto.randomUUID(),
      },
      META,
    );
    expect(result).toEqual({ ok: false, code: "seat_node_gone" });

    // Once its record has expired, one survivor closes the seat and tells Alice's sockets.
    expect(await told).toMatchObject({ state: "unlinked", reason: "node_gone" });
    aliceOnB.close();
    const closed = await waitFor(
      () =>
        b.services.db.auditEvent.findMany({
          where: { type: "seat.unlinked", companyCode: COMPANY },
        }),
      (rows) => rows.length > 0,
      { what: "the seat closed in the audit log" },
    );
    await new Promise((resolve) => setTimeout(resolve, TTL_MS));
    const after = await b.services.db.auditEvent.findMany({
      where: { type: "seat.unlinked", companyCode: COMPANY },
    });
    expect(after).toHaveLength(closed.length);
    expect(after.map((e) => JSON.parse(e.data))).toEqual([
      { agentId: ALICE.ctiAgentId, reason: "node_gone" },
    ]);
    expect(await c.services.interventions.seats.current(ALICE.id)).toMatchObject({
      state: "unlinked",
    });

    // The CTI saw the seat's channel close with its node: Alice links again on B at once.
    const again = await b.services.interventions.seats.link(ALICE, { password: PASSWORD }, META);
    expect(again).toMatchObject({ ok: true, data: { state: "linked" } });
    expect(await c.services.interventions.seats.current(ALICE.id)).toMatchObject({
      state: "linked",
    });
  });

  it("a retry of an intervention whose node died in flight is not stuck behind its key", async () => {
    const BOB: TViewer = {
      ...ALICE,
      id: "u-bob-gone",
      name: "bob",
      ctiAgentId: `${COMPANY}_20029`,
    };
    const nodeA2 = await startNodeProcess({
      REDIS_URL: redis.url,
      REDIS_PREFIX: redis.prefix,
      NODE_ID: "node-a2",
      CTI_PORT: String(sim.port),
      COMPANIES: COMPANY,
      DATABASE_URL: process.env.DATABASE_URL!,
      TEST_SEAT_DIRECTORY_TTL_MS: String(TTL_MS),
      LOG_LEVEL: "silent",
    });
    try {
      const linked = await nodeA2.call("link", { viewer: BOB, password: PASSWORD });
      expect(linked, JSON.stringify(linked)).toMatchObject({ ok: true });
      const target = `${COMPANY}_20002`;
      await control(sim, "/control/scenario", {
        company_code: COMPANY,
        agents: [{ agent_id: target, status: "CALLING", customer_number: "13912345678" }],
      });
      const callUuid = (await truthAgents(sim, COMPANY)).find((x) => x.agent_id === target)!.uuid!;
      await waitFor(
        () => b.services.floor.store(COMPANY)?.agent(target)?.uuid,
        (uuid) => uuid === callUuid,
        { what: "the target in call on node B" },
      );
      // Node A2 judges the request on its own floor (a replica under load may lag node B's).
      await waitFor(
        () => nodeA2.call("agentUuid", { companyCode: COMPANY, agentId: target }),
        (uuid) => uuid === callUuid,
        { what: "the target in call on node A2" },
      );
      // The CTI takes the request and never answers: node A2 dies with the key claimed.
      await control(sim, "/control/faults", {
        msg_type: "interrupt_call",
        code: "0",
        silent: true,
      });
      const input = {
        companyCode: COMPANY,
        targetAgentId: target,
        callUuid,
        reason: "",
        idempotencyKey: crypto.randomUUID(),
      };
      void nodeA2
        .call("intervene", { operation: "interrupt_call", viewer: BOB, input })
        .catch(() => undefined);
      const row = await waitFor(
        () =>
          b.services.db.intervention.findFirst({ where: { idempotencyKey: input.idempotencyKey } }),
        (found) => found?.stage === "sent",
        { what: "the intervention sent on node A2", timeout: 15_000 },
      );
      await nodeA2.kill();

      const retry = () => b.services.interventions.pipeline.run("interrupt_call", BOB, input, META);
      // The claim of the dead node ends (not after IDEMPOTENCY_TTL_MS); the retry is told so...
      expect(await retry()).toEqual({ ok: false, code: "cti_down" });
      // ...and the next one gets the intervention recorded under the key, sent by node A2 and
      // ended INTERRUPTED by a survivor once node A2's record expired (it never got an outcome).
      expect(await retry()).toMatchObject({
        ok: true,
        data: { id: row!.id, stage: "interrupted" },
      });
    } finally {
      await nodeA2.kill();
    }
  }, 60_000);
});
