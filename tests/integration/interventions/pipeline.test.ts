import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TViewer } from "@/lib/auth/viewer";
import type { TInterventionView, TOperation } from "@/lib/interventions/types";
import { SeatChannel } from "@/server/cti/seat";
import { startTestApp, type TTestApp } from "../helpers/app";
import { control, startSim, truthAgents, type TSimProcess } from "../floor/helpers/sim";
import { waitFor } from "../floor/helpers/wait";
import { onPostgres } from "../helpers/postgres";

const COMPANY = "95001";
const PASSWORD = "Aa123321.";
const META = { ip: "127.0.0.1", userAgent: "vitest" };
const SIM_ENV = { SIM_COMPANIES: `${COMPANY},95002`, SIM_AGENTS: "200", SIM_CALL_RATE: "0" };

function supervisor(id: string, name: string, agent: string): TViewer {
  return { kind: "user", id, name, role: "supervisor", companies: [COMPANY], ctiAgentId: agent };
}
const ALICE = supervisor("u-alice", "alice", `${COMPANY}_20004`);
const BOB = supervisor("u-bob", "bob", `${COMPANY}_20029`);
const CAROL = supervisor("u-carol", "carol", `${COMPANY}_20054`);

/**
 * [INTERVENTIONS] force hang-up and take over through the pipeline against the real simulator:
 * each success, and every failure the supervisor can meet.
 */
describe("[INTERVENTIONS] pipeline against the simulator", () => {
  let sim: TSimProcess;
  let app: TTestApp;
  let nextAgent = 20000;

  beforeAll(async () => {
    sim = await startSim(SIM_ENV);
    app = await startTestApp({
      ctiPort: sim.port,
      companies: [COMPANY],
      env: {
        POLL_INTERVAL_MS: "300",
        INTERVENTION_CONFIRM_MS: "4000",
        CTI_REQUEST_TIMEOUT_MS: "1500",
      },
    });
    await waitFor(() => app.services.floor.store(COMPANY)?.hasRoster, Boolean, { what: "roster" });
    for (const viewer of [ALICE, BOB]) {
      const linked = await app.services.interventions.seats.link(
        viewer,
        { password: PASSWORD },
        META,
      );
      expect(linked, JSON.stringify(linked)).toMatchObject({
        ok: true,
        data: { state: "linked", agentStatus: "FREE" },
      });
    }
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await sim?.kill();
  });

  /** A fresh agent in a call with a customer, as the floor shows it; its call uuid. */
  async function agentInCall(): Promise<{ agentId: string; callUuid: string }> {
    nextAgent += 1;
    if ((nextAgent - 20004) % 25 === 0) nextAgent += 1; // supervisors
    const agentId = `${COMPANY}_${nextAgent}`;
    await control(sim, "/control/scenario", {
      company_code: COMPANY,
      agents: [{ agent_id: agentId, status: "CALLING", customer_number: "13912345678" }],
    });
    const callUuid = (await truthAgents(sim, COMPANY)).find((a) => a.agent_id === agentId)!.uuid!;
    await waitFor(
      () => app.services.floor.store(COMPANY)?.agent(agentId)?.uuid,
      (uuid) => uuid === callUuid,
      { what: `${agentId} in call on the floor` },
    );
    return { agentId, callUuid };
  }

  function run(
    operation: TOperation,
    viewer: TViewer,
    target: { agentId: string; callUuid: string },
    key: string = crypto.randomUUID(),
  ) {
    return app.services.interventions.pipeline.run(
      operation,
      viewer,
      {
        companyCode: COMPANY,
        targetAgentId: target.agentId,
        callUuid: target.callUuid,
        reason: "test",
        idempotencyKey: key,
      },
      META,
    );
  }

  async function finalView(id: string): Promise<TInterventionView> {
    return waitFor(
      () => app.services.interventions.records.view(id),
      (v) =>
        v !== undefined && ["confirmed", "unconfirmed", "failed", "interrupted"].includes(v.stage),
      { timeout: 8000, what: `intervention ${id} final` },
    ) as Promise<TInterventionView>;
  }

  async function requests(msgType: string): Promise<number> {
    const stats = await control<{ wire: { requests_by_type: Record<string, number> } }>(
      sim,
      "/control/stats",
    );
    return stats.wire.requests_by_type[msgType] ?? 0;
  }

  it("force hang-up: acked, then CONFIRMED when the target leaves the call; every stage audited", async () => {
    const target = await agentInCall();
    const result = await run("interrupt_call", ALICE, target);
    expect(result).toMatchObject({ ok: true, data: { actorName: "alice" } });
    if (!result.ok) return;
    // The action answers once the CTI acknowledged; the floor may already have confirmed it.
    expect(["acked", "confirmed"]).toContain(result.data.stage);
    const done = await finalView(result.data.id);
    expect(done.stage).toBe("confirmed");
    expect(done.timeline.map((t) => t.stage)).toEqual(["requested", "sent", "acked", "confirmed"]);
    expect(done.timeline[2]?.latencyMs).toBeGreaterThanOrEqual(0);
    const truth = (await truthAgents(sim, COMPANY)).find((a) => a.agent_id === target.agentId)!;
    expect(truth.uuid).not.toBe(target.callUuid);
  });

  it("take over: the supervisor's phone takes the call, the target's leg ends, CONFIRMED", async () => {
    const target = await agentInCall();
    const seat = app.services.cti.seats.get(BOB.id)!;
    const listening = seat.listenerCount("push");
    const result = await run("substitute", BOB, target);
    expect(result).toMatchObject({ ok: true, data: { stage: "acked" } });
    if (!result.ok) return;
    const done = await finalView(result.data.id);
    expect(done.stage).toBe("confirmed");
    const phone = done.timeline.filter((t) => t.stage === "phone").map((t) => t.detail);
    expect(phone).toEqual(expect.arrayContaining(["callin", "start_call"]));
    const truth = await truthAgents(sim, COMPANY);
    const bob = truth.find((a) => a.agent_id === BOB.ctiAgentId)!;
    expect(bob.status).toBe("CALLING");
    expect(bob.in_call_numbers).toContain("13912345678");
    expect(truth.find((a) => a.agent_id === target.agentId)!.uuid).not.toBe(target.callUuid);
    await control(sim, `/control/calls/${target.callUuid}/hangup`, {});
    // The supervisor's hang-up (END_CALL) is recorded, and the take over stops listening to the
    // seat: a supervisor's take overs must not pile up listeners for hours.
    await waitFor(
      async () => (await finalView(result.data.id)).timeline.map((t) => t.detail),
      (details) => details.includes("end_call"),
      { what: "END_CALL on the timeline" },
    );
    await waitFor(
      () => seat.listenerCount("push"),
      (count) => count === listening,
      { what: "the seat's push listeners back to those before the take over" },
    );
  });

  it("the CTI's 4016 (agent not in a call) comes back as its own failure and is recorded", async () => {
    const target = await agentInCall();
    await control(sim, "/control/faults", {
      msg_type: "interrupt_call",
      code: "4016",
      msg: "not in call",
    });
    const result = await run("interrupt_call", ALICE, target);
    expect(result).toEqual({ ok: false, code: "target_not_in_call" });
    const rows = await app.services.db.intervention.findMany({
      where: { targetAgentId: target.agentId },
    });
    expect(rows).toMatchObject([{ stage: "failed", outcome: "failed", code: "4016" }]);
  });

  it("refuses, sending nothing, when the target is no longer on the call the supervisor saw", async () => {
    const target = await agentInCall();
    const before = await requests("interrupt_call");
    const result = await run("interrupt_call", ALICE, { ...target, callUuid: "call-seen-earlier" });
    expect(result).toEqual({ ok: false, code: "target_left_call" });
    expect(await requests("interrupt_call")).toBe(before);
  });

  it("refuses without a linked seat, and after the seat was kicked off by a check-in elsewhere", async () => {
    const target = await agentInCall();
    expect(await run("interrupt_call", CAROL, target)).toEqual({
      ok: false,
      code: "seat_not_linked",
    });
    const carolLinked = await app.services.interventions.seats.link(
      CAROL,
      { password: PASSWORD },
      META,
    );
    expect(carolLinked.ok).toBe(true);
    const elsewhere = new SeatChannel(
      { baseUrl: `ws://127.0.0.1:${sim.port}`, companyCode: COMPANY, agentId: CAROL.ctiAgentId! },
      PASSWORD,
    );
    expect((await elsewhere.link()).state).toBe("linked");
    await waitFor(
      () => app.services.interventions.seats.view(CAROL.id),
      (v) => v.state === "lost",
      {
        what: "carol's seat lost",
      },
    );
    expect(app.services.interventions.seats.view(CAROL.id)).toMatchObject({ reason: "kicked_off" });
    expect(await run("interrupt_call", CAROL, target)).toEqual({
      ok: false,
      code: "seat_not_linked",
    });
    await elsewhere.unlink();
  });

  it("says the agent is in use elsewhere before linking, and wrong_password for a wrong password", async () => {
    const dave = supervisor("u-dave", "dave", `${COMPANY}_20079`);
    const other = new SeatChannel(
      { baseUrl: `ws://127.0.0.1:${sim.port}`, companyCode: COMPANY, agentId: dave.ctiAgentId! },
      PASSWORD,
    );
    await other.link();
    const seats = app.services.interventions.seats;
    expect(await seats.link(dave, { password: PASSWORD }, META)).toMatchObject({
      ok: false,
      code: "seat_in_use",
      values: { status: "FREE" },
    });
    await other.unlink();
    await waitFor(
      () => truthAgents(sim, COMPANY),
      (t) => t.find((a) => a.agent_id === dave.ctiAgentId)?.status === "OFFLINE",
      { what: "dave offline" },
    );
    expect(await seats.link(dave, { password: "wrong-password" }, META)).toEqual({
      ok: false,
      code: "seat_wrong_password",
    });
    expect(seats.view(dave.id).state).toBe("unlinked");
  });

  it("a CTI that does not answer: cti_timeout, recorded as failed with cause timeout", async () => {
    const target = await agentInCall();
    await control(sim, "/control/faults", { msg_type: "interrupt_call", code: "0", silent: true });
    const result = await run("interrupt_call", ALICE, target);
    expect(result).toEqual({ ok: false, code: "cti_timeout" });
    const events = await app.services.db.auditEvent.findMany({
      where: { type: "intervention.failed" },
      orderBy: { id: "desc" },
      take: 1,
    });
    expect(JSON.parse(events[0]!.data)).toMatchObject({ cause: "timeout" });
  });

  it("a double submit with the same key sends one request and returns the first result", async () => {
    const target = await agentInCall();
    const before = await requests("interrupt_call");
    const key = crypto.randomUUID();
    const [first, second] = await Promise.all([
      run("interrupt_call", ALICE, target, key),
      run("interrupt_call", ALICE, target, key),
    ]);
    expect(first.ok).toBe(true);
    expect(second).toEqual(first);
    expect(await run("interrupt_call", ALICE, target, key)).toEqual(first);
    expect(await requests("interrupt_call")).toBe(before + 1);
  });

  it("two supervisors on one call at once: one acts, the other is told who and at which stage", async () => {
    const target = await agentInCall();
    const before = await requests("interrupt_call");
    const results = await Promise.all([
      run("interrupt_call", ALICE, target),
      run("interrupt_call", BOB, target),
    ]);
    const refused = results.filter((r) => !r.ok);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({
      code: "intervention_in_progress",
      values: { stage: expect.any(String) },
    });
    const holder = refused[0] && !refused[0].ok ? refused[0].values?.name : undefined;
    expect(["alice", "bob"]).toContain(holder);
    expect(await requests("interrupt_call")).toBe(before + 1);
  });

  it("if the audit write fails, the intervention fails and nothing is sent", async () => {
    const target = await agentInCall();
    const before = await requests("interrupt_call");
    // The migration's append_only() raises the message it is given (PostgreSQL).
    await app.services.db.$executeRawUnsafe(
      onPostgres
        ? `CREATE TRIGGER test_no_intervention BEFORE INSERT ON "Intervention" FOR EACH ROW EXECUTE FUNCTION "append_only"('disk full')`
        : `CREATE TRIGGER test_no_intervention BEFORE INSERT ON "Intervention" BEGIN SELECT RAISE(ABORT, 'disk full'); END`,
    );
    try {
      expect(await run("interrupt_call", ALICE, target)).toEqual({
        ok: false,
        code: "audit_failed",
      });
    } finally {
      await app.services.db.$executeRawUnsafe(
        `DROP TRIGGER test_no_intervention${onPostgres ? ` ON "Intervention"` : ""}`,
      );
    }
    expect(await requests("interrupt_call")).toBe(before);
    // Nothing recorded, so the same dialog may try again.
    expect((await run("interrupt_call", ALICE, target)).ok).toBe(true);
  });

  it("another company's agent is refused", async () => {
    const result = await app.services.interventions.pipeline.run(
      "interrupt_call",
      ALICE,
      {
        companyCode: "95002",
        targetAgentId: "95002_20001",
        callUuid: "call-x",
        reason: "",
        idempotencyKey: crypto.randomUUID(),
      },
      META,
    );
    expect(result).toEqual({ ok: false, code: "forbidden_company" });
  });

  it("a CTI that is down: cti_down, nothing recorded", async () => {
    const target = await agentInCall();
    const count = await app.services.db.intervention.count();
    await sim.kill();
    await waitFor(
      () => app.services.interventions.seats.view(ALICE.id).state,
      (s) => s === "linking",
      {
        what: "seat reconnecting",
      },
    );
    expect(await run("interrupt_call", ALICE, target)).toEqual({ ok: false, code: "cti_down" });
    expect(await app.services.db.intervention.count()).toBe(count);
    sim = await startSim({ ...SIM_ENV, SIM_PORT: String(sim.port) });
    await waitFor(
      () => app.services.interventions.seats.view(ALICE.id).state,
      (s) => s === "linked",
      {
        timeout: 20_000,
        what: "seat linked again",
      },
    );
  }, 40_000);
});
