import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulator } from "@/server/sim/index";
import { SEED_MESSAGES } from "./helpers/seed-messages";
import { SimClient } from "./helpers/sim-client";
import {
  ask,
  checkedIn,
  control,
  scenario,
  startQuietSim,
  truth,
  until,
} from "./helpers/sim-harness";

/** Each example of ws-messages.md sent byte for byte to the default floor. */
describe("seed examples, byte for byte", () => {
  let sim: Simulator;
  let agent: SimClient;

  beforeAll(async () => {
    sim = await startQuietSim();
  });
  afterAll(async () => {
    await agent?.close();
    await sim.close();
  });

  it("签入 checkin checks 90001_20000 in with the seed's password", async () => {
    agent = await SimClient.agent(sim.port, "90001_20000");
    const response = await agent.requestRaw(SEED_MESSAGES.checkin, "22222222222", "checkin");
    expect(response).toMatchObject({
      code: "0",
      company_code: "90001",
      msg_type: "checkin",
      ext_id: "90001_20000",
      login_type: "2",
    });
    expect(typeof response.token).toBe("string");
    expect((await truth(sim, "90001_20000")).status).toBe("FREE");
  });

  it("状态切换 change_status MAKE_FREE (rest_min null) answers by the rules of §5", async () => {
    const already = await agent.requestRaw(
      SEED_MESSAGES.change_status,
      "b69912ae-0414-11ee-aaf4-174c4c2dfe01",
      "change_status",
    );
    expect(already).toMatchObject({ code: "1", msg_type: "change_status" });
    await ask(agent, "90001_20000", { msg_type: "change_status", action: "MAKE_BUSY" });
    const response = await agent.requestRaw(
      SEED_MESSAGES.change_status,
      "b69912ae-0414-11ee-aaf4-174c4c2dfe01",
      "change_status",
    );
    expect(response).toMatchObject({
      code: "0",
      action: "MAKE_FREE",
      last_agent_status: "BUSY",
      agent_status: "FREE",
    });
  });

  it("查询坐席状态 get_status (trailing space after the JSON) answers with status, status_time and agent_name", async () => {
    const response = await agent.requestRaw(
      SEED_MESSAGES.get_status,
      "b69912ae-0414-111ee-aaf4-174c4c2dfe01",
      "get_status",
    );
    expect(response).toMatchObject({ code: "0", status: "FREE", in_call_numbers: [] });
    expect(typeof response.status_time).toBe("number");
    expect(typeof response.agent_name).toBe("string");
  });

  it("consult, trans (both), three_way and hangup on the seed's unknown uuids answer 4000", async () => {
    await scenario(sim, [{ agent_id: "90001_20001", status: "CALLING" }]);
    for (const [name, reqId, msgType] of [
      ["consult", "b69912ae-0414-11ee-aaf24-174c4c2dfe01", "consult"],
      ["trans_1", "b69912ae-0414-11ee-aaf24-174c4c2dfe01", "trans"],
      ["trans_2", "b69912ae-0414-11ee-aaf24-174c4c2dfe01", "trans"],
      ["three_way", "b69912ae-0414-11ee-aaf24-174c4c2dfe01", "three_way"],
      ["hangup", "b69912ae-0414-111ee-aaf4-174c4c2dfe01", "hangup"],
    ] as const) {
      const response = await agent.requestRaw(SEED_MESSAGES[name], reqId, msgType);
      expect(response, name).toMatchObject({
        code: "4000",
        msg_type: msgType,
        company_code: "90001",
      });
    }
  });

  it("外呼 call dials 90001_20003, which rings, answers, and both are CALLING", async () => {
    await scenario(sim, [{ agent_id: "90001_20003", status: "FREE" }]);
    const response = await agent.requestRaw(SEED_MESSAGES.call, "11111", "call");
    expect(response).toMatchObject({ code: "0", msg_type: "call" });
    expect(response.uuid).toMatch(/^call-[0-9a-f]{32}$/);
    await agent.push(
      (m) => m.msg_type === "callback" && m.action === "CALL" && m.phase === "INITIATE",
    );
    await until(sim, "90001_20003", (a) => a.status === "RINGING");
    await control(sim, "POST", `/control/calls/${String(response.uuid)}/answer`);
    await agent.push(
      (m) => m.msg_type === "callback" && m.action === "CALL" && m.phase === "START_CALL",
    );
    expect((await truth(sim, "90001_20000")).in_call_numbers).toEqual(["90001_20003"]);
    expect((await truth(sim, "90001_20003")).status).toBe("CALLING");
    await ask(agent, "90001_20000", { msg_type: "hangup", uuid: response.uuid });
    await until(sim, "90001_20000", (a) => a.status !== "CALLING");
  });

  it("强拆 interrupt_call (msg_type with a leading space) from supervisor 90001_20004 hangs up 90001_20000", async () => {
    await until(sim, "90001_20000", (a) => a.status === "BUSY" || a.status === "FREE");
    await ask(agent, "90001_20000", { msg_type: "change_status", action: "MAKE_FREE" });
    const call = await control<{ uuid: string }>(sim, "POST", "/control/calls", {
      company_code: "90001",
      agent_id: "90001_20000",
    });
    await control(sim, "POST", `/control/calls/${call.body.uuid}/answer`);
    const supervisor = await checkedIn(sim, "90001_20004");
    const response = await supervisor.requestRaw(
      SEED_MESSAGES.interrupt_call,
      "b69912ae-0414-11ee-aaf4-174c4c2dfe01",
      "interrupt_call",
    );
    expect(response).toMatchObject({ code: "0", msg_type: "interrupt_call" });
    await supervisor.push(
      (m) => m.msg_type === "callback" && m.action === "INTERRUPT_CALL" && m.phase === "END_CALL",
    );
    const target = await truth(sim, "90001_20000");
    expect(target.status).not.toBe("CALLING");
    expect(target.call_uuid).toBeNull();
    await supervisor.close();
  });

  it("代接 substitute rings the supervisor's softphone, which answers and takes the customer over", async () => {
    const supervisor = await checkedIn(sim, "90001_20004");
    await until(
      sim,
      "90001_20000",
      (a) => a.status === "ARRANGE" || a.status === "BUSY" || a.status === "FREE",
    );
    await until(sim, "90001_20000", (a) => a.status !== "ARRANGE");
    if ((await truth(sim, "90001_20000")).status !== "FREE")
      await ask(agent, "90001_20000", { msg_type: "change_status", action: "MAKE_FREE" });
    const call = await control<{ uuid: string }>(sim, "POST", "/control/calls", {
      company_code: "90001",
      agent_id: "90001_20000",
      customer_number: "13107618845",
    });
    await control(sim, "POST", `/control/calls/${call.body.uuid}/answer`);
    const response = await supervisor.requestRaw(
      SEED_MESSAGES.substitute,
      "b69912ae-0414-11ee-aaf4-174c4c2dfe01",
      "substitute",
    );
    expect(response).toMatchObject({ code: "0", msg_type: "substitute" });
    expect(response.uuid).toMatch(/^substitute-[0-9a-f]{32}$/);
    const callin = await supervisor.push((m) => m.msg_type === "callin");
    expect(callin).toMatchObject({
      callin_channel: "SUBSTITUTE",
      uuid: response.uuid,
      caller_number: "13107618845",
    });
    await supervisor.push(
      (m) => m.msg_type === "callback" && m.action === "SUBSTITUTE" && m.phase === "START_CALL",
    );
    const boss = await truth(sim, "90001_20004");
    expect(boss).toMatchObject({
      status: "CALLING",
      uuid: response.uuid,
      in_call_numbers: ["13107618845"],
    });
    expect((await truth(sim, "90001_20000")).call_uuid).toBeNull();
    await control(sim, "POST", `/control/calls/${call.body.uuid}/hangup`, { side: "customer" });
    await supervisor.push(
      (m) => m.msg_type === "callback" && m.action === "SUBSTITUTE" && m.phase === "END_CALL",
    );
    await supervisor.close();
  });
});
