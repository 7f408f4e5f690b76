import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulator } from "@/server/sim/index";
import { SimClient } from "./helpers/sim-client";
import {
  checkedIn,
  control,
  scenario,
  startQuietSim,
  truth,
  type TAgentTruth,
} from "./helpers/sim-harness";

async function roster(sim: Simulator, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`http://127.0.0.1:${sim.port}/openapi/get-agent-list`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return (await response.json()) as Record<string, unknown>;
}

interface TRosterSkill {
  skill_id: string;
  skill_name: string;
  agents: {
    list: { agent_id: string; agent_name: string; agent_status: string }[];
    total_count: number;
    total_page: number;
    current_page: number;
  };
}

describe("roster: POST /openapi/get-agent-list", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startQuietSim();
  });
  afterAll(() => sim.close());

  it("pages agents per skill with names and statuses", async () => {
    const body = await roster(sim, { company_code: "90001", page_no: 1, page_size: 10 });
    expect(body.code).toBe("0");
    const skills = body.data as TRosterSkill[];
    expect(skills.length).toBeGreaterThanOrEqual(2);
    expect(skills.length).toBeLessThanOrEqual(4);
    const first = skills[0]!;
    expect(first.skill_name).toBe("售前咨询");
    expect(first.agents.total_count).toBe(30);
    expect(first.agents.total_page).toBe(3);
    expect(first.agents.list).toHaveLength(10);
    expect(first.agents.list[0]).toMatchObject({
      agent_id: "90001_20000",
      agent_status: "OFFLINE",
    });
    expect(first.agents.list[0]!.agent_name).toMatch(/^[\u4e00-\u9fff]{2,4}$/);
    const page3 = await roster(sim, {
      company_code: "90001",
      skill_id: first.skill_id,
      page_no: "3",
      page_size: "10",
    });
    const only = page3.data as TRosterSkill[];
    expect(only).toHaveLength(1);
    expect(only[0]!.agents).toMatchObject({ current_page: 3, total_page: 3 });
    const one = await roster(sim, {
      company_code: "90001",
      agent_id: "90001_40001",
      page_no: 1,
      page_size: 10,
    });
    expect((one.data as TRosterSkill[])[0]!.agents.list.map((a) => a.agent_id)).toEqual([
      "90001_40001",
    ]);
  });

  it("answers 4008 for an unknown company and 4002 for a bad body", async () => {
    expect((await roster(sim, { company_code: "12345", page_no: 1, page_size: 10 })).code).toBe(
      "4008",
    );
    expect((await roster(sim, { company_code: "90001" })).code).toBe("4002");
    expect((await roster(sim, "{nope")).code).toBe("4002");
    expect((await roster(sim, [1])).code).toBe("4002");
    expect((await roster(sim, { company_code: "90001", page_no: 0, page_size: 10 })).code).toBe(
      "4002",
    );
  });
});

describe("control API", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startQuietSim();
  });
  afterAll(() => sim.close());

  it("sets many agents into exact situations at once and reports ground truth", async () => {
    const monitor = await SimClient.monitor(sim.port, "90001");
    const agents = await scenario(sim, [
      {
        agent_id: "90001_20001",
        status: "CALLING",
        customer_number: "13800000001",
        direction: "in",
      },
      { agent_id: "90001_20002", status: "RINGING", customer_number: "13800000002" },
      { agent_id: "90001_20003", status: "REST", rest_min: 10 },
      {
        agent_id: "90001_20005",
        status: "CALLING",
        customer_number: "13800000005",
        direction: "out",
      },
      { agent_id: "90001_20006", status: "ARRANGE" },
    ]);
    expect(agents.map((a) => [a.agent_id, a.status, a.driver])).toEqual([
      ["90001_20001", "CALLING", "test"],
      ["90001_20002", "RINGING", "test"],
      ["90001_20003", "REST", "test"],
      ["90001_20005", "CALLING", "test"],
      ["90001_20006", "ARRANGE", "test"],
    ]);
    await monitor.agentChange("90001_20001", "CALLING");
    await monitor.agentChange("90001_20002", "RINGING");
    const calls = await control<{
      calls: { uuid: string; direction: string; customer_number: string; state: string }[];
    }>(sim, "GET", "/control/calls?company_code=90001");
    expect(
      calls.body.calls.map((c) => [c.customer_number, c.direction, c.state]).sort(),
      JSON.stringify(calls.body),
    ).toEqual([
      ["13800000001", "in", "talking"],
      ["13800000002", "in", "ringing"],
      ["13800000005", "out", "talking"],
    ]);
    const ringing = await truth(sim, "90001_20002");
    await control(sim, "POST", `/control/calls/${String(ringing.uuid)}/answer`);
    expect((await truth(sim, "90001_20002")).status).toBe("CALLING");
    await control(sim, "POST", `/control/calls/${String(ringing.uuid)}/hangup`, { side: "agent" });
    expect((await truth(sim, "90001_20002")).status).toBe("ARRANGE");
    await monitor.close();
  });

  it("refuses any request carrying an Origin header with 403: web pages cannot drive it", async () => {
    const base = `http://127.0.0.1:${sim.controlPort}`;
    for (const origin of ["http://evil.example", "null", `http://127.0.0.1:${sim.controlPort}`]) {
      // What any open web page can send without a CORS preflight.
      const simple = await fetch(`${base}/control/traffic`, {
        method: "POST",
        headers: { origin, "content-type": "text/plain" },
        body: JSON.stringify({ call_rate: 5000 }),
      });
      expect(simple.status, origin).toBe(403);
      expect(await simple.json()).toEqual({ error: expect.stringContaining("Origin") });
      const json = await fetch(`${base}/control/traffic`, {
        method: "POST",
        headers: { origin, "content-type": "application/json" },
        body: JSON.stringify({ call_rate: 5000 }),
      });
      expect(json.status, origin).toBe(403);
      const read = await fetch(`${base}/control/agents?company_code=90001`, {
        headers: { origin },
      });
      expect(read.status, origin).toBe(403);
    }
    const stats = await control<{ traffic: { call_rate: number } }>(sim, "GET", "/control/stats");
    expect(stats.status).toBe(200);
    expect(stats.body.traffic.call_rate).toBe(0);
  });

  it("refuses a body that is not declared application/json with 415, and takes one that is", async () => {
    const base = `http://127.0.0.1:${sim.controlPort}`;
    const body = JSON.stringify({ call_rate: 5000 });
    for (const type of [
      "text/plain",
      "text/plain;charset=UTF-8",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/jsonp",
      undefined,
    ]) {
      const response = await fetch(`${base}/control/traffic`, {
        method: "POST",
        headers: type === undefined ? {} : { "content-type": type },
        body: type === undefined ? new Blob([body]) : body,
      });
      expect(response.status, String(type)).toBe(415);
      expect(await response.json()).toEqual({
        error: expect.stringContaining("application/json"),
      });
    }
    expect(
      (await control<{ traffic: { call_rate: number } }>(sim, "GET", "/control/stats")).body.traffic
        .call_rate,
    ).toBe(0);
    const accepted = await fetch(`${base}/control/traffic`, {
      method: "POST",
      headers: { "content-type": "Application/JSON; charset=utf-8" },
      body: JSON.stringify({ paused: true }),
    });
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toMatchObject({ paused: true, call_rate: 0 });
    expect((await control(sim, "POST", "/control/traffic", { paused: false })).status).toBe(200);
    // A POST without a body needs no content type (the helpers' /control/reset, /control/gc).
    const bare = await fetch(`${base}/control/gc`, { method: "POST" });
    expect(bare.status).toBe(200);
    expect(await bare.json()).toMatchObject({ gc: expect.any(Boolean) });
  });

  it("refuses a scenario on a client's agent (409), unknown agents (404) and bad bodies (400)", async () => {
    const client = await checkedIn(sim, "90001_20010");
    const taken = await control(sim, "POST", "/control/scenario", {
      company_code: "90001",
      agents: [{ agent_id: "90001_20010", status: "BUSY" }],
    });
    expect(taken.status).toBe(409);
    expect(
      (
        await control(sim, "POST", "/control/scenario", {
          company_code: "90001",
          agents: [{ agent_id: "90001_1", status: "BUSY" }],
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await control(sim, "POST", "/control/scenario", {
          company_code: "90001",
          agents: [{ agent_id: "90001_20011", status: "NAP" }],
        })
      ).status,
    ).toBe(400);
    expect((await control(sim, "GET", "/control/agents")).status).toBe(400);
    expect((await control(sim, "GET", "/control/nothing")).status).toBe(404);
    await client.close();
  });

  it("rings an agent on command, routes a skill call to the longest-idle FREE client agent, and queues otherwise", async () => {
    const a = await checkedIn(sim, "90001_20012");
    await new Promise((r) => setTimeout(r, 20));
    const b = await checkedIn(sim, "90001_20013");
    // Every agent holds the company's first skill.
    const shared = (
      await control<{ skills: { skill_id: string }[] }>(
        sim,
        "GET",
        "/control/agents?company_code=90001",
      )
    ).body.skills[0]?.skill_id;
    const first = await control<{ uuid: string; legs: { agent_id: string }[] }>(
      sim,
      "POST",
      "/control/calls",
      { company_code: "90001", skill_id: shared },
    );
    expect(first.body.legs.map((l) => l.agent_id)).toEqual(["90001_20012"]);
    await control(sim, "POST", `/control/calls/${first.body.uuid}/answer`);
    const second = await control<{ legs: { agent_id: string }[] }>(sim, "POST", "/control/calls", {
      company_code: "90001",
      skill_id: shared,
    });
    expect(second.body.legs.map((l) => l.agent_id)).toEqual(["90001_20013"]);
    const third = await control<{ uuid: string; state: string; legs: unknown[] }>(
      sim,
      "POST",
      "/control/calls",
      { company_code: "90001", skill_id: shared },
    );
    expect(third.body).toMatchObject({ state: "queued", legs: [] });
    const stats = await control<{
      wire: { requests_by_type: Record<string, number>; pushes_by_type: Record<string, number> };
    }>(sim, "GET", "/control/stats");
    expect(stats.body.wire.requests_by_type.checkin).toBeGreaterThanOrEqual(2);
    expect(stats.body.wire.pushes_by_type.callin).toBeGreaterThanOrEqual(1);
    await a.close();
    await b.close();
  });

  it("reset rebuilds the same floor from the seed", async () => {
    const before = (
      await control<{ agents: TAgentTruth[] }>(sim, "GET", "/control/agents?company_code=90002")
    ).body.agents.map((a) => a.agent_name);
    await scenario(sim, [{ agent_id: "90001_20001", status: "BUSY" }]);
    expect((await control(sim, "POST", "/control/reset")).status).toBe(200);
    expect((await truth(sim, "90001_20001")).status).toBe("OFFLINE");
    const after = (
      await control<{ agents: TAgentTruth[] }>(sim, "GET", "/control/agents?company_code=90002")
    ).body.agents.map((a) => a.agent_name);
    expect(after).toEqual(before);
  });
});
