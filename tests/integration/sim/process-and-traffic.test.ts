import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulator } from "@/server/sim/index";
import { createSimulator } from "@/server/sim/index";
import { SimClient } from "./helpers/sim-client";
import {
  ask,
  checkedIn,
  control,
  scenario,
  truth,
  until,
  type TAgentTruth,
} from "./helpers/sim-harness";

const ENTRY = ["--import", "tsx", "server/sim/main.ts"];

describe("npm run sim (server/sim/main.ts)", () => {
  it("prints one sim:listening JSON line on stdout, serves, and exits 0 on SIGTERM", async () => {
    const child = spawn(process.execPath, ENTRY, {
      env: {
        ...process.env,
        SIM_PORT: "0",
        SIM_CONTROL_PORT: "0",
        SIM_AGENTS: "20",
        SIM_COMPANIES: "90001",
        SIM_CALL_RATE: "0",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const firstLine = await new Promise<string>((resolve) =>
      createInterface({ input: child.stdout }).once("line", resolve),
    );
    const ready = JSON.parse(firstLine) as {
      event: string;
      port: number;
      controlPort: number;
      companies: string[];
      agents: number;
    };
    expect(ready).toMatchObject({ event: "sim:listening", companies: ["90001"], agents: 20 });
    const client = await SimClient.agent(ready.port, "90001_20000");
    expect((await ask(client, "90001_20000", { msg_type: "get_status" })).code).toBe("0");
    await client.close();
    const exit = new Promise<number | null>((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    expect(await exit).toBe(0);
  });

  it("exits non-zero naming the variable when the environment is invalid", async () => {
    const child = spawn(process.execPath, ENTRY, {
      env: { ...process.env, SIM_PORT: "http", SIM_COMPANIES: "abc" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(2);
    expect(stderr).toContain("SIM_PORT");
    expect(stderr).toContain("SIM_COMPANIES");
  });
});

/** A living floor, accelerated: calls flow, clients take agents over, tests' agents stay put. */
describe("traffic model", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await createSimulator({
      port: 0,
      controlPort: 0,
      companies: ["90001"],
      agentsPerCompany: 60,
      callRatePerMinute: 60,
      speed: 40,
      arrangeSeconds: 5,
      softphoneAnswerMs: 50,
    });
  });
  afterAll(() => sim.close());

  const agents = async () =>
    (await control<{ agents: TAgentTruth[] }>(sim, "GET", "/control/agents?company_code=90001"))
      .body.agents;

  it("makes a believable floor: most agents checked in, calls ringing and talking, model-driven", async () => {
    await new Promise((r) => setTimeout(r, 1500));
    const floor = await agents();
    const statuses = new Set(floor.map((a) => a.status));
    expect(floor.filter((a) => a.status !== "OFFLINE").length).toBeGreaterThan(30);
    expect(statuses.has("CALLING")).toBe(true);
    expect(floor.every((a) => a.driver === "model")).toBe(true);
    const stats = await control<{ floor: { callsCreated: number; callsAnswered: number } }>(
      sim,
      "GET",
      "/control/stats",
    );
    expect(stats.body.floor.callsAnswered).toBeGreaterThan(5);
  });

  it("a client's checkin kicks the model off the agent, which then moves only on the client's word", async () => {
    // A supervisor: the ACD never rings it, so only the model could move it.
    const boss = await checkedIn(sim, "90001_20004", "BUSY");
    expect(await truth(sim, "90001_20004")).toMatchObject({ driver: "client", status: "BUSY" });
    await new Promise((r) => setTimeout(r, 1500));
    expect((await truth(sim, "90001_20004")).status).toBe("BUSY");
    await boss.close();
    expect(await until(sim, "90001_20004", (a) => a.status === "OFFLINE")).toMatchObject({
      driver: null,
    });
  });

  it(
    "a client agent gets calls from the ACD, answered by its softphone",
    { timeout: 60_000 },
    async () => {
      // Deterministic: the model is paused and every other agent with the client's skill is taken
      // out of the ACD's reach by a scenario, so the routed call can only ring the client.
      await control(sim, "POST", "/control/traffic", { paused: true });
      await scenario(sim, [{ agent_id: "90001_20001", status: "FREE" }]);
      await control(sim, "POST", "/control/release", {
        company_code: "90001",
        agent_ids: ["90001_20001"],
      });
      const client = await checkedIn(sim, "90001_20001", "FREE");
      const { body } = await control<{ agents: (TAgentTruth & { skills: string[] })[] }>(
        sim,
        "GET",
        "/control/agents?company_code=90001",
      );
      const me = body.agents.find((a) => a.agent_id === "90001_20001");
      const skillId = me?.skills[0];
      expect(skillId).toBeDefined();
      const rivals = body.agents.filter(
        (a) => a.agent_id !== "90001_20001" && a.skills.includes(skillId!),
      );
      await scenario(
        sim,
        rivals.map((a) => ({ agent_id: a.agent_id, status: "BUSY" })),
      );
      await control(sim, "POST", "/control/calls", { company_code: "90001", skill_id: skillId });
      const callin = await client.push((m) => m.msg_type === "callin", 10_000);
      await until(
        sim,
        "90001_20001",
        (a) => a.uuid === callin.uuid && a.status === "CALLING" && a.driver === "client",
        5000,
      );
      await client.close();
      await control(sim, "POST", "/control/release", {
        company_code: "90001",
        agent_ids: rivals.map((a) => a.agent_id),
      });
      await control(sim, "POST", "/control/traffic", { paused: false });
    },
  );

  it("agents set by a scenario stay put while traffic flows, and are released on request", async () => {
    await scenario(sim, [
      { agent_id: "90001_20002", status: "FREE" },
      { agent_id: "90001_20003", status: "REST" },
    ]);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await truth(sim, "90001_20002")).status).toBe("FREE");
    expect((await truth(sim, "90001_20003")).status).toBe("REST");
    const released = await control<{ released: string[] }>(sim, "POST", "/control/release", {
      company_code: "90001",
    });
    expect(released.body.released).toEqual(["90001_20002", "90001_20003"]);
    await until(sim, "90001_20002", (a) => a.driver === "model", 5000);
  });

  it("pausing freezes the model; the rate can change at runtime", async () => {
    const paused = await control<{ paused: boolean; call_rate: number }>(
      sim,
      "POST",
      "/control/traffic",
      { paused: true, call_rate: 30 },
    );
    expect(paused.body).toMatchObject({ paused: true, call_rate: 30 });
    await new Promise((r) => setTimeout(r, 300));
    const before = (
      await control<{ floor: { callsCreated: number } }>(sim, "GET", "/control/stats")
    ).body.floor.callsCreated;
    await new Promise((r) => setTimeout(r, 800));
    const after = (await control<{ floor: { callsCreated: number } }>(sim, "GET", "/control/stats"))
      .body.floor.callsCreated;
    expect(after).toBe(before);
    await control(sim, "POST", "/control/traffic", { paused: false });
  });
});
