import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Simulator } from "@/server/sim/index";
import { SimClient } from "./helpers/sim-client";
import {
  ask,
  checkedIn,
  control,
  PASSWORD,
  scenario,
  startQuietSim,
  truth,
  until,
} from "./helpers/sim-harness";

/** Every request type of protocol.md §3 over a real socket, with its extras and result codes. */
describe("requests", () => {
  let sim: Simulator;
  const open: SimClient[] = [];
  const track = (client: SimClient) => (open.push(client), client);

  beforeAll(async () => {
    sim = await startQuietSim();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
    await control(sim, "POST", "/control/reset");
  });
  afterAll(() => sim.close());

  describe("channel basics", () => {
    it("pushes connect on open and answers ping with pong", async () => {
      const client = track(await SimClient.agent(sim.port, "90001_20000"));
      await client.push((m) => m.msg_type === "connect" && m.code === "0");
      const pong = await client.request({ company_code: "90001", msg_type: "ping" });
      expect(pong).toMatchObject({ msg_type: "pong", code: "0", company_code: "90001" });
    });

    it("refuses everything but checkin, ping and get_status before checkin with 4003, and keeps the socket open", async () => {
      const client = track(await SimClient.agent(sim.port, "90001_20000"));
      for (const msgType of ["checkout", "call", "hangup", "change_status", "interrupt_call"]) {
        const response = await ask(client, "90001_20000", { msg_type: msgType });
        expect(response, msgType).toMatchObject({ code: "4003", msg_type: msgType });
      }
      expect((await ask(client, "90001_20000", { msg_type: "get_status" })).code).toBe("0");
    });

    it("answers an unknown company with 4008 and an unknown msg_type with 4014", async () => {
      const stranger = track(await SimClient.agent(sim.port, "99999_1"));
      expect((await ask(stranger, "99999_1", { msg_type: "get_status" })).code).toBe("4008");
      const client = track(await SimClient.agent(sim.port, "90001_20000"));
      expect(await ask(client, "90001_20000", { msg_type: "dance" })).toMatchObject({
        code: "4014",
        msg_type: "dance",
      });
    });
  });

  describe("checkin / checkout", () => {
    it("checks in with start_status, answers the §3 extras, and checks out to OFFLINE", async () => {
      const client = track(await SimClient.agent(sim.port, "90001_20001"));
      const response = await ask(client, "90001_20001", {
        msg_type: "checkin",
        agent_pwd: PASSWORD,
        start_status: "BUSY",
      });
      expect(response).toMatchObject({
        code: "0",
        ext_id: "90001_20001",
        login_type: "2",
        pbx: "127.0.0.1",
      });
      expect(response.token).toEqual(expect.any(String));
      expect(await truth(sim, "90001_20001")).toMatchObject({ status: "BUSY", driver: "client" });
      expect((await ask(client, "90001_20001", { msg_type: "checkout" })).code).toBe("0");
      expect(await truth(sim, "90001_20001")).toMatchObject({ status: "OFFLINE", driver: null });
    });

    it("answers 4004 to a wrong password, 4003 to an unknown agent, 4001 to another company's, 4012 to a wrong extension", async () => {
      const client = track(await SimClient.agent(sim.port, "90001_20001"));
      expect(
        (await ask(client, "90001_20001", { msg_type: "checkin", agent_pwd: "nope" })).code,
      ).toBe("4004");
      expect(
        (
          await ask(client, "90001_20001", {
            msg_type: "checkin",
            agent_pwd: PASSWORD,
            ext_id: "90001_20002",
          })
        ).code,
      ).toBe("4012");
      const ghost = track(await SimClient.agent(sim.port, "90001_77777"));
      expect(
        (await ask(ghost, "90001_77777", { msg_type: "checkin", agent_pwd: PASSWORD })).code,
      ).toBe("4003");
      const foreign = track(
        await SimClient.open(sim.port, {
          agent_id: "90002_20000",
          company_code: "90001",
          os: "Windows",
        }),
      );
      const response = await foreign.request({
        company_code: "90001",
        msg_type: "checkin",
        agent_id: "90002_20000",
        agent_pwd: PASSWORD,
      });
      expect(response.code).toBe("4001");
    });

    it("a second checkin elsewhere pushes kick_off to the old channel, which then gets 4010", async () => {
      const first = track(await checkedIn(sim, "90001_20002"));
      const second = track(await SimClient.agent(sim.port, "90001_20002", "Mac"));
      expect(
        (await ask(second, "90001_20002", { msg_type: "checkin", agent_pwd: PASSWORD })).code,
      ).toBe("0");
      await first.push((m) => m.msg_type === "kick_off" && m.agent_id === "90001_20002");
      expect(
        (await ask(first, "90001_20002", { msg_type: "change_status", action: "MAKE_BUSY" })).code,
      ).toBe("4010");
      expect(
        (await ask(second, "90001_20002", { msg_type: "change_status", action: "MAKE_BUSY" })).code,
      ).toBe("0");
    });

    it("checkout during a call answers 1; CHECKOUT_AFTER_CALL_STOP takes the agent OFFLINE at hang-up", async () => {
      const client = track(await checkedIn(sim, "90001_20001"));
      const call = await control<{ uuid: string }>(sim, "POST", "/control/calls", {
        company_code: "90001",
        agent_id: "90001_20001",
      });
      await control(sim, "POST", `/control/calls/${call.body.uuid}/answer`);
      expect((await ask(client, "90001_20001", { msg_type: "checkout" })).code).toBe("1");
      expect(
        (
          await ask(client, "90001_20001", {
            msg_type: "change_status",
            action: "CHECKOUT_AFTER_CALL_STOP",
          })
        ).code,
      ).toBe("0");
      expect((await truth(sim, "90001_20001")).call_stop_status).toBe("CHECKOUT_AFTER_CALL_STOP");
      await control(sim, "POST", `/control/calls/${call.body.uuid}/hangup`);
      await client.agentChange("90001_20001", "OFFLINE");
    });
  });

  describe("get_status", () => {
    it("answers status, sub_status, call_stop_status, in_call_numbers, uuid, status_time and agent_name", async () => {
      await scenario(sim, [
        {
          agent_id: "90001_20005",
          status: "CALLING",
          customer_number: "13900001111",
          sub_status: "HOLD",
        },
      ]);
      const client = track(await SimClient.monitor(sim.port, "90001"));
      const response = await client.request({
        company_code: "90001",
        msg_type: "get_status",
        agent_id: "90001_20005",
        ext_id: "90001_20005",
      });
      const truthNow = await truth(sim, "90001_20005");
      expect(response).toMatchObject({
        code: "0",
        status: "CALLING",
        sub_status: "HOLD",
        in_call_numbers: ["13900001111"],
        uuid: truthNow.uuid,
        status_time: truthNow.status_time,
        agent_name: truthNow.agent_name,
      });
    });

    it("answers 4003 for an unknown agent, 4001 for another company's, 4012 for a wrong extension, 4002 without agent_id", async () => {
      const client = track(await SimClient.monitor(sim.port, "90001"));
      const q = (frame: Record<string, unknown>) =>
        client.request({ company_code: "90001", msg_type: "get_status", ...frame });
      expect((await q({ agent_id: "90001_99999" })).code).toBe("4003");
      expect((await q({ agent_id: "90002_20000" })).code).toBe("4001");
      expect((await q({ agent_id: "90001_20000", ext_id: "90001_20001" })).code).toBe("4012");
      const missing = await q({});
      expect(missing.code).toBe("4002");
      expect(String(missing.msg)).toContain("agent_id");
    });
  });

  describe("change_status", () => {
    it("MAKE_BUSY / MAKE_FREE answer action, last_agent_status, agent_status; the same state again answers 1", async () => {
      const client = track(await checkedIn(sim, "90001_20001"));
      const busy = await ask(client, "90001_20001", {
        msg_type: "change_status",
        action: "MAKE_BUSY",
      });
      expect(busy).toMatchObject({
        code: "0",
        action: "MAKE_BUSY",
        last_agent_status: "FREE",
        agent_status: "BUSY",
      });
      await client.agentChange("90001_20001", "BUSY");
      expect(
        (await ask(client, "90001_20001", { msg_type: "change_status", action: "MAKE_BUSY" })).code,
      ).toBe("1");
    });

    it("MAKE_REST with rest_min returns to the status before it when the minutes are up", async () => {
      const client = track(await checkedIn(sim, "90001_20001", "BUSY"));
      const rest = await ask(client, "90001_20001", {
        msg_type: "change_status",
        action: "MAKE_REST",
        rest_min: "1",
      });
      expect(rest).toMatchObject({ code: "0", agent_status: "REST" });
      client.clear();
      const back = await client.agentChange("90001_20001", "BUSY", 2000);
      expect(back).toMatchObject({ last_agent_status: "REST", reason: "rest_over" });
    });

    it("*_AFTER_CALL_STOP outside a call answers 4016; inside, it is stored and applied at hang-up", async () => {
      const client = track(await checkedIn(sim, "90001_20001"));
      expect(
        (
          await ask(client, "90001_20001", {
            msg_type: "change_status",
            action: "MAKE_REST_AFTER_CALL_STOP",
          })
        ).code,
      ).toBe("4016");
      const call = await control<{ uuid: string }>(sim, "POST", "/control/calls", {
        company_code: "90001",
        agent_id: "90001_20001",
      });
      await client.agentChange("90001_20001", "RINGING");
      expect(
        (
          await ask(client, "90001_20001", {
            msg_type: "change_status",
            action: "MAKE_REST_AFTER_CALL_STOP",
          })
        ).code,
      ).toBe("0");
      await control(sim, "POST", `/control/calls/${call.body.uuid}/answer`);
      expect(
        (await ask(client, "90001_20001", { msg_type: "hangup", uuid: call.body.uuid })).code,
      ).toBe("0");
      await client.agentChange("90001_20001", "REST");
    });

    it("after the agent hangs up: ARRANGE for arrangeSeconds, then the status before the call", async () => {
      const client = track(await checkedIn(sim, "90001_20001"));
      const call = await control<{ uuid: string }>(sim, "POST", "/control/calls", {
        company_code: "90001",
        agent_id: "90001_20001",
      });
      await control(sim, "POST", `/control/calls/${call.body.uuid}/answer`);
      await ask(client, "90001_20001", { msg_type: "hangup", uuid: call.body.uuid });
      await client.agentChange("90001_20001", "ARRANGE");
      client.clear();
      const after = await client.agentChange("90001_20001", "FREE", 2000);
      expect(after).toMatchObject({ last_agent_status: "ARRANGE", reason: "arrange_over" });
    });

    it("after the customer hangs up first: straight back to the status before the call", async () => {
      const client = track(await checkedIn(sim, "90001_20001"));
      const call = await control<{ uuid: string }>(sim, "POST", "/control/calls", {
        company_code: "90001",
        agent_id: "90001_20001",
      });
      await control(sim, "POST", `/control/calls/${call.body.uuid}/answer`);
      await client.agentChange("90001_20001", "CALLING");
      client.clear();
      await control(sim, "POST", `/control/calls/${call.body.uuid}/hangup`, { side: "customer" });
      const free = await client.agentChange("90001_20001", "FREE");
      expect(free.last_agent_status).toBe("CALLING");
      expect(client.pushes.some((m) => m.agent_status === "ARRANGE")).toBe(false);
    });

    it("FORCE_* need a supervisor (4001), a checked-in target (4009) and the right state (1)", async () => {
      const agent = track(await checkedIn(sim, "90001_20001"));
      const boss = track(await checkedIn(sim, "90001_20004"));
      const force = (client: SimClient, id: string, action: string, target: string) =>
        ask(client, id, {
          msg_type: "change_status",
          action,
          operated_agent_id: target,
          operated_ext_id: target,
        });
      expect((await force(agent, "90001_20001", "FORCE_MAKE_BUSY", "90001_20002")).code).toBe(
        "4001",
      );
      expect((await force(boss, "90001_20004", "FORCE_MAKE_BUSY", "90001_20002")).code).toBe(
        "4009",
      );
      expect((await force(boss, "90001_20004", "FORCE_MAKE_FREE", "90001_20001")).code).toBe("1");
      expect(await force(boss, "90001_20004", "FORCE_MAKE_BUSY", "90001_20001")).toMatchObject({
        code: "0",
        last_agent_status: "FREE",
        agent_status: "BUSY",
      });
      expect((await force(boss, "90001_20004", "FORCE_MAKE_FREE", "90001_20001")).code).toBe("0");
      const call = await control<{ uuid: string }>(sim, "POST", "/control/calls", {
        company_code: "90001",
        agent_id: "90001_20001",
      });
      await control(sim, "POST", `/control/calls/${call.body.uuid}/answer`);
      expect((await force(boss, "90001_20004", "FORCE_CHECKOUT", "90001_20001")).code).toBe("0");
      await agent.agentChange("90001_20001", "OFFLINE");
      const calls = await control<{ calls: unknown[] }>(
        sim,
        "GET",
        "/control/calls?company_code=90001",
      );
      expect(calls.body.calls).toEqual([]);
    });
  });

  describe("calls", () => {
    it("call to an external number: agent RINGING, callbacks INITIATE → START_CALL → END_CALL", async () => {
      const client = track(await checkedIn(sim, "90001_20001"));
      const response = await ask(client, "90001_20001", {
        msg_type: "call",
        callee_number: "13107618845",
        out_line: "1",
      });
      expect(response.code).toBe("0");
      await client.agentChange("90001_20001", "RINGING");
      await client.push(
        (m) => m.msg_type === "callback" && m.action === "CALL" && m.phase === "START_CALL",
      );
      expect(await truth(sim, "90001_20001")).toMatchObject({
        status: "CALLING",
        in_call_numbers: ["13107618845"],
      });
      await ask(client, "90001_20001", { msg_type: "hangup", uuid: response.uuid });
      await client.push(
        (m) =>
          m.msg_type === "callback" &&
          m.action === "CALL" &&
          m.phase === "END_CALL" &&
          m.success === true,
      );
    });

    it("call to a busy colleague fails with a CALL END_CALL callback and the agent's status back", async () => {
      await scenario(sim, [{ agent_id: "90001_20003", status: "BUSY" }]);
      const client = track(await checkedIn(sim, "90001_20001", "BUSY"));
      expect(
        (
          await ask(client, "90001_20001", {
            msg_type: "call",
            callee_number: "90001_20003",
            out_line: 0,
          })
        ).code,
      ).toBe("0");
      await client.push(
        (m) => m.msg_type === "callback" && m.phase === "END_CALL" && m.success === false,
      );
      await until(sim, "90001_20001", (a) => a.status === "BUSY");
    });

    it("call while already in a call answers 1; hangup of someone else's call answers 4000; hangup outside a call 4016", async () => {
      await scenario(sim, [{ agent_id: "90001_20003", status: "CALLING" }]);
      const other = (await truth(sim, "90001_20003")).uuid;
      const client = track(await checkedIn(sim, "90001_20001"));
      expect((await ask(client, "90001_20001", { msg_type: "hangup", uuid: other })).code).toBe(
        "4016",
      );
      const call = await control<{ uuid: string }>(sim, "POST", "/control/calls", {
        company_code: "90001",
        agent_id: "90001_20001",
      });
      await control(sim, "POST", `/control/calls/${call.body.uuid}/answer`);
      expect((await ask(client, "90001_20001", { msg_type: "hangup", uuid: other })).code).toBe(
        "4000",
      );
      expect(
        (await ask(client, "90001_20001", { msg_type: "call", callee_number: "13100000000" })).code,
      ).toBe("1");
    });

    it("consult rings the colleague with callin CONSULT; cancel ends it; consult then trans hands the customer over", async () => {
      await scenario(sim, [{ agent_id: "90001_20003", status: "FREE" }]);
      const colleague = track(await checkedIn(sim, "90001_20003"));
      const client = track(await checkedIn(sim, "90001_20001"));
      const call = await control<{ uuid: string }>(sim, "POST", "/control/calls", {
        company_code: "90001",
        agent_id: "90001_20001",
        customer_number: "13911112222",
      });
      await control(sim, "POST", `/control/calls/${call.body.uuid}/answer`);
      const consult = await ask(client, "90001_20001", {
        msg_type: "consult",
        uuid: call.body.uuid,
        type: "1",
        consult_type: "0",
        consult_number: "90001_20003",
      });
      expect(consult.code).toBe("0");
      expect(consult.consult_uuid).toMatch(/^call-/);
      const callin = await colleague.push((m) => m.msg_type === "callin");
      expect(callin).toMatchObject({ callin_channel: "CONSULT", caller_number: "90001_20001" });
      await client.push(
        (m) => m.msg_type === "callback" && m.action === "CONSULT" && m.phase === "START_CALL",
      );
      expect((await truth(sim, "90001_20001")).sub_status).toBe("CONSULT");
      expect(
        (await ask(client, "90001_20001", { msg_type: "consult", uuid: call.body.uuid, type: 2 }))
          .code,
      ).toBe("0");
      await until(sim, "90001_20003", (a) => a.status === "FREE");
      expect(
        (await ask(client, "90001_20001", { msg_type: "consult", uuid: call.body.uuid, type: 2 }))
          .code,
      ).toBe("1");
      colleague.clear();
      await ask(client, "90001_20001", {
        msg_type: "consult",
        uuid: call.body.uuid,
        type: 1,
        consult_number: "90001_20003",
      });
      await until(sim, "90001_20003", (a) => a.status === "CALLING");
      expect(
        (
          await ask(client, "90001_20001", {
            msg_type: "trans",
            uuid: call.body.uuid,
            type: 2,
            trans_type: 1,
            trans_number: "90001_20003",
          })
        ).code,
      ).toBe("0");
      await client.push((m) => m.msg_type === "callback" && m.action === "CONSULT_TO_TRANS");
      expect(await truth(sim, "90001_20003")).toMatchObject({
        status: "CALLING",
        call_uuid: call.body.uuid,
        in_call_numbers: ["13911112222"],
      });
      expect((await truth(sim, "90001_20001")).call_uuid).toBeNull();
    });

    it("blind trans to a FREE colleague: the agent leaves, the colleague rings with callin TRANS", async () => {
      await scenario(sim, [{ agent_id: "90001_20003", status: "FREE" }]);
      const colleague = track(await checkedIn(sim, "90001_20003"));
      const client = track(await checkedIn(sim, "90001_20001"));
      const call = await control<{ uuid: string }>(sim, "POST", "/control/calls", {
        company_code: "90001",
        agent_id: "90001_20001",
      });
      await control(sim, "POST", `/control/calls/${call.body.uuid}/answer`);
      expect(
        (
          await ask(client, "90001_20001", {
            msg_type: "trans",
            uuid: call.body.uuid,
            type: "1",
            trans_type: 1,
            trans_number: "90001_20003",
          })
        ).code,
      ).toBe("0");
      expect((await colleague.push((m) => m.msg_type === "callin")).callin_channel).toBe("TRANS");
      await client.agentChange("90001_20001", "ARRANGE");
    });

    it("attended trans (type 2 without consult) can be cancelled with type 3; trans to a skill queues the customer", async () => {
      await scenario(sim, [{ agent_id: "90001_20003", status: "FREE" }]);
      const client = track(await checkedIn(sim, "90001_20001"));
      const call = await control<{ uuid: string }>(sim, "POST", "/control/calls", {
        company_code: "90001",
        agent_id: "90001_20001",
      });
      await control(sim, "POST", `/control/calls/${call.body.uuid}/answer`);
      expect(
        (
          await ask(client, "90001_20001", {
            msg_type: "trans",
            uuid: call.body.uuid,
            type: 2,
            trans_type: 1,
            trans_number: "90001_20003",
          })
        ).code,
      ).toBe("0");
      expect((await truth(sim, "90001_20001")).sub_status).toBe("TRANS");
      expect((await until(sim, "90001_20003", (a) => a.status === "RINGING")).status).toBe(
        "RINGING",
      );
      expect(
        (await ask(client, "90001_20001", { msg_type: "trans", uuid: call.body.uuid, type: 3 }))
          .code,
      ).toBe("0");
      await until(sim, "90001_20003", (a) => a.status === "FREE");
      expect(
        (await ask(client, "90001_20001", { msg_type: "trans", uuid: call.body.uuid, type: 3 }))
          .code,
      ).toBe("1");
      expect(
        (
          await ask(client, "90001_20001", {
            msg_type: "trans",
            uuid: call.body.uuid,
            type: 1,
            trans_type: 2,
            trans_number: "nope",
          })
        ).code,
      ).toBe("1");
      const skill = (
        await control<{ skills: { skill_id: string }[] }>(
          sim,
          "GET",
          "/control/agents?company_code=90001",
        )
      ).body.skills[0]?.skill_id;
      expect(
        (
          await ask(client, "90001_20001", {
            msg_type: "trans",
            uuid: call.body.uuid,
            type: 1,
            trans_type: 2,
            trans_number: skill,
          })
        ).code,
      ).toBe("0");
      const calls = await control<{ queued: string[] }>(
        sim,
        "GET",
        "/control/calls?company_code=90001",
      );
      expect(calls.body.queued).toContain(call.body.uuid);
    });

    it("three_way brings a colleague in: in_call_numbers in the response, THREE_WAY sub-state for both", async () => {
      await scenario(sim, [{ agent_id: "90001_20003", status: "FREE" }]);
      const client = track(await checkedIn(sim, "90001_20001"));
      const call = await control<{ uuid: string }>(sim, "POST", "/control/calls", {
        company_code: "90001",
        agent_id: "90001_20001",
        customer_number: "13911113333",
      });
      await control(sim, "POST", `/control/calls/${call.body.uuid}/answer`);
      const response = await ask(client, "90001_20001", {
        msg_type: "three_way",
        uuid: call.body.uuid,
        three_way_type: 0,
        three_way_number: "90001_20003",
      });
      expect(response).toMatchObject({
        code: "0",
        in_call_numbers: ["13911113333", "90001_20003"],
      });
      await control(sim, "POST", `/control/calls/${call.body.uuid}/answer`);
      await client.push(
        (m) => m.msg_type === "callback" && m.action === "THREE_WAY" && m.phase === "START_CALL",
      );
      expect(await truth(sim, "90001_20001")).toMatchObject({
        sub_status: "THREE_WAY",
        in_call_numbers: ["13911113333", "90001_20003"],
      });
      expect(await truth(sim, "90001_20003")).toMatchObject({
        sub_status: "THREE_WAY",
        in_call_numbers: ["13911113333", "90001_20001"],
      });
    });

    it("call beyond the concurrent call limit answers 5000", async () => {
      const small = await startQuietSim({ maxConcurrentCalls: 0 });
      try {
        const client = await checkedIn(small, "90001_20001");
        expect(
          (await ask(client, "90001_20001", { msg_type: "call", callee_number: "13100000000" }))
            .code,
        ).toBe("5000");
        await client.close();
      } finally {
        await small.close();
      }
    });
  });
});
