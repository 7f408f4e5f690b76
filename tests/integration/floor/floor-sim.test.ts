import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TFloorAgent } from "@/lib/floor/types";
import type { Floor } from "@/server/floor/floor";
import { control, startSim, truthAgents, type TSimProcess, type TTruthAgent } from "./helpers/sim";
import { startTestApp, type TTestApp } from "../helpers/app";
import { TestFloorClient, VIEWERS } from "./helpers/floor-client";
import { waitFor } from "./helpers/wait";

const COMPANIES = ["91001", "91002"];
const AGENTS = 150;
const POLL_MS = 500;
const ARRANGE_MS = 2000;
const SIM_ENV = {
  SIM_COMPANIES: COMPANIES.join(","),
  SIM_AGENTS: String(AGENTS),
  SIM_CALL_RATE: "1800",
  SIM_ARRANGE_SECONDS: String(ARRANGE_MS / 1000),
  SIM_CUSTOMER_ANSWER_MS: "500",
};

function key(a: {
  status: string;
  sub_status?: string | null;
  subStatus?: string;
  uuid?: string | null;
}): string {
  const sub = "sub_status" in a ? (a.sub_status ?? undefined) : a.subStatus;
  return `${a.status}/${a.status === "CALLING" ? (sub ?? "") : ""}/${a.status === "RINGING" || a.status === "CALLING" ? (a.uuid ?? "") : ""}`;
}

/** Agents of the roster (skilled agents): supervisors hold no skill and are not on the floor. */
function onFloor(truth: TTruthAgent[]): TTruthAgent[] {
  return truth.filter((a) => a.skills.length > 0);
}

/**
 * Compares the floor with the simulator's ground truth read just before and just after it:
 * an agent that changed in between may match either.
 */
async function expectFloorMatchesTruth(
  sim: TSimProcess,
  floor: Floor,
  companyCode: string,
): Promise<TFloorAgent[]> {
  const before = new Map(onFloor(await truthAgents(sim, companyCode)).map((a) => [a.agent_id, a]));
  await new Promise((resolve) => setTimeout(resolve, 100));
  const snapshot = floor.snapshot(companyCode)!;
  const after = new Map(onFloor(await truthAgents(sim, companyCode)).map((a) => [a.agent_id, a]));
  expect(snapshot.agents.map((a) => a.agentId).sort()).toEqual([...after.keys()].sort());
  const mismatches = snapshot.agents.filter((agent) => {
    const a = before.get(agent.agentId);
    const b = after.get(agent.agentId);
    return key(agent) !== (a && key(a)) && key(agent) !== (b && key(b));
  });
  expect(
    mismatches.map((m) => [
      m.agentId,
      key(m),
      key(before.get(m.agentId)!),
      key(after.get(m.agentId)!),
    ]),
  ).toEqual([]);
  return snapshot.agents;
}

describe("[FLOOR] against the real simulator", () => {
  let sim: TSimProcess;
  let app: TTestApp;
  let floor: Floor;
  let port: number;

  beforeAll(async () => {
    sim = await startSim(SIM_ENV);
    port = sim.port;
    app = await startTestApp({
      ctiPort: port,
      companies: COMPANIES,
      env: { POLL_INTERVAL_MS: String(POLL_MS) },
    });
    floor = app.services.floor;
    await waitFor(() => COMPANIES.every((c) => floor.store(c)?.hasRoster), Boolean, {
      what: "rosters",
    });
  });

  afterAll(async () => {
    await app.stop();
    await sim.kill();
  });

  it("under a busy floor, the snapshot matches the simulator's ground truth", async () => {
    // Let traffic build up, and every agent be confirmed by a poll at least once.
    await new Promise((resolve) => setTimeout(resolve, 3 * POLL_MS));
    for (const companyCode of COMPANIES) {
      const agents = await expectFloorMatchesTruth(sim, floor, companyCode);
      const inCall = agents.filter((a) => a.status === "RINGING" || a.status === "CALLING");
      expect(inCall.length).toBeGreaterThan(10);
      expect(agents.filter((a) => a.stale)).toEqual([]);
    }
  });

  it("with the simulator frozen, the floor's calls are exactly the simulator's: none missing, no ghost", async () => {
    // An agent per company in after-call work just before the freeze: its ARRANGE timer falls
    // due during the wait below, so a freeze that held only the traffic model would show.
    for (const companyCode of COMPANIES) {
      const idle = onFloor(await truthAgents(sim, companyCode)).find(
        (a) => a.status === "FREE" || a.status === "BUSY",
      );
      if (!idle) throw new Error(`no idle agent in ${companyCode}`);
      await control(sim, "/control/scenario", {
        company_code: companyCode,
        agents: [{ agent_id: idle.agent_id, status: "ARRANGE" }],
      });
    }
    // No new calls, and every timer held (ARRANGE, REST, answers, patience).
    await control(sim, "/control/traffic", { paused: true });
    await control(sim, "/control/clock", { frozen: true });
    try {
      const still = async (companyCode: string) =>
        new Map(
          onFloor(await truthAgents(sim, companyCode)).map((a) => [
            a.agent_id,
            `${key(a)}@${a.status_time}`,
          ]),
        );
      const atFreeze = await Promise.all(COMPANIES.map(still));
      // Every agent is polled again after the freeze, and the ARRANGE above would have ended.
      await new Promise((resolve) => setTimeout(resolve, Math.max(3 * POLL_MS, ARRANGE_MS + 1000)));
      // The comparison below is exact only if the simulator really is still: its ARRANGE, REST
      // and answer timers held, not only its traffic model paused.
      expect(await Promise.all(COMPANIES.map(still))).toEqual(atFreeze);
      for (const companyCode of COMPANIES) {
        const truth = onFloor(await truthAgents(sim, companyCode));
        const snapshot = floor.snapshot(companyCode)!;
        const floorKeys = new Map(snapshot.agents.map((a) => [a.agentId, key(a)]));
        expect(floorKeys).toEqual(new Map(truth.map((a) => [a.agent_id, key(a)])));
        const inCall = truth.filter((a) => a.status === "RINGING" || a.status === "CALLING");
        const expected = [...new Set(inCall.map((a) => a.uuid!))].sort();
        const onTheFloor = snapshot.calls.map((c) => c.uuid).sort();
        expect(onTheFloor.length).toBeGreaterThan(5);
        expect(onTheFloor).toEqual(expected);
        const truthCalls = await control<{ calls: { uuid: string }[] }>(
          sim,
          `/control/calls?company_code=${companyCode}`,
        );
        const simulated = new Set(truthCalls.calls.map((c) => c.uuid));
        expect(onTheFloor.filter((uuid) => !simulated.has(uuid))).toEqual([]);
        expect(
          snapshot.calls.some(
            (c) =>
              c.customerNumber !== undefined &&
              !floor.store(companyCode)!.knownIds().has(c.customerNumber),
          ),
        ).toBe(true);
      }
    } finally {
      await control(sim, "/control/clock", { frozen: false });
      await control(sim, "/control/traffic", { paused: false });
      for (const companyCode of COMPANIES)
        await control(sim, "/control/release", { company_code: companyCode });
    }
  });

  it("streams deltas that rebuild the same floor in a client, masked for viewers, with no gap", async () => {
    const supervisor = new TestFloorClient(app.url, floor, VIEWERS.supervisor, "91001");
    const viewer = new TestFloorClient(app.url, floor, VIEWERS.viewer, "91001");
    const outsider = new TestFloorClient(app.url, floor, VIEWERS.outsider, "91001");
    try {
      await waitFor(
        () => supervisor.store.status.sync === "live" && viewer.store.status.sync === "live",
        Boolean,
        { what: "clients live" },
      );
      await waitFor(
        () => outsider.joinResult,
        (r) => r !== undefined,
        { what: "outsider refused" },
      );
      expect(outsider.joinResult).toEqual({ ok: false, code: "forbidden" });
      // Deltas keep coming (a busy floor); waited for rather than slept on, for loaded machines.
      await waitFor(
        () => supervisor.deltas,
        (n) => n > 5,
        { timeout: 15_000, what: "deltas" },
      );
      expect(supervisor.resyncs).toBe(0);
      expect(viewer.resyncs).toBe(0);
      expect(outsider.deltas).toBe(0);

      // Freeze the simulator (every timer, not only new calls), let the last batch arrive, then
      // compare with the server's floor.
      await control(sim, "/control/traffic", { paused: true });
      await control(sim, "/control/clock", { frozen: true });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const server = floor.snapshot("91001")!;
      await waitFor(
        () => supervisor.store.status.seq,
        (seq) => seq >= server.seq,
        { what: "client caught up" },
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      const rebuilt = new Map(supervisor.store.agentList.map((a) => [a.agentId, key(a)]));
      const now = new Map(floor.snapshot("91001")!.agents.map((a) => [a.agentId, key(a)]));
      expect(rebuilt).toEqual(now);

      const withCustomer = viewer.store.agentList
        .flatMap((a) => a.numbers)
        .filter((n) => !floor.store("91001")!.knownIds().has(n));
      const full = supervisor.store.agentList
        .flatMap((a) => a.numbers)
        .filter((n) => !floor.store("91001")!.knownIds().has(n));
      expect(full.length).toBeGreaterThan(0);
      expect(full.every((n) => /^\d+$/.test(n))).toBe(true);
      expect(withCustomer.length).toBeGreaterThan(0);
      expect(withCustomer.every((n) => n.includes("****"))).toBe(true);
      expect(
        viewer.store.callList.every(
          (c) => c.customerNumber === undefined || c.customerNumber.includes("*"),
        ),
      ).toBe(true);
    } finally {
      await control(sim, "/control/clock", { frozen: false });
      await control(sim, "/control/traffic", { paused: false });
      supervisor.close();
      viewer.close();
      outsider.close();
    }
  });

  it("after the simulator is killed and restarted, the floor resyncs by itself", async () => {
    await sim.kill();
    await waitFor(
      () => app.services.cti.status().state,
      (s) => s === "down",
      { what: "link down" },
    );
    // Unconfirmed for twice the interval: every agent is stale, never shown as live.
    await waitFor(() => floor.snapshot("91001")!.agents.every((a) => a.stale), Boolean, {
      timeout: 4 * POLL_MS + 1000,
      what: "agents stale",
    });
    sim = await startSim({ ...SIM_ENV, SIM_PORT: String(port) });
    await waitFor(
      () => app.services.cti.status().state,
      (s) => s === "up",
      { timeout: 20_000, what: "link up again" },
    );
    await waitFor(
      () => COMPANIES.every((c) => floor.snapshot(c)!.agents.every((a) => !a.stale)),
      Boolean,
      { timeout: 4 * POLL_MS + 2000, what: "agents fresh again" },
    );
    for (const companyCode of COMPANIES) await expectFloorMatchesTruth(sim, floor, companyCode);
  });
});
