import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Simulator } from "@/server/sim/index";
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

const BOSS = "90001_20004";

describe("supervisor operations (§6) and pushes (§4)", () => {
  let sim: Simulator;
  const open: SimClient[] = [];
  const track = (client: SimClient) => (open.push(client), client);
  const op = (
    client: SimClient,
    msgType: string,
    target: string,
    extra: Record<string, unknown> = {},
  ) =>
    ask(client, BOSS, {
      msg_type: msgType,
      operated_agent_id: target,
      operated_ext_id: target,
      ...extra,
    });

  beforeAll(async () => {
    sim = await startQuietSim();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
    await control(sim, "POST", "/control/reset");
  });
  afterAll(() => sim.close());

  it("checks the sender's role (4001), state (1), the target's company (4001), existence (4003), extension (4012) and call (4016)", async () => {
    await scenario(sim, [
      { agent_id: "90001_20001", status: "CALLING" },
      { agent_id: "90001_20002", status: "BUSY" },
    ]);
    const agent = track(await checkedIn(sim, "90001_20003"));
    expect(
      (
        await ask(agent, "90001_20003", {
          msg_type: "substitute",
          operated_agent_id: "90001_20001",
        })
      ).code,
    ).toBe("4001");
    const boss = track(await checkedIn(sim, BOSS));
    expect((await op(boss, "eavesdrop", "90002_20001")).code).toBe("4001");
    expect((await op(boss, "eavesdrop", "90001_99999")).code).toBe("4003");
    expect(
      (await op(boss, "eavesdrop", "90001_20001", { operated_ext_id: "90001_20002" })).code,
    ).toBe("4012");
    expect((await op(boss, "whisper", "90001_20002")).code).toBe("4016");
    expect((await op(boss, "force_call", "90001_20002")).code).toBe("4016");
    expect((await ask(boss, BOSS, { msg_type: "interrupt_call" })).code).toBe("4002");
    await ask(boss, BOSS, { msg_type: "change_status", action: "MAKE_REST" });
    expect((await op(boss, "interrupt_call", "90001_20001")).code).toBe("1");
  });

  it("interrupt_call also takes a RINGING target and ends the call", async () => {
    await scenario(sim, [{ agent_id: "90001_20001", status: "RINGING" }]);
    const boss = track(await checkedIn(sim, BOSS, "BUSY"));
    expect((await op(boss, "interrupt_call", "90001_20001")).code).toBe("0");
    expect((await truth(sim, "90001_20001")).status).toBe("FREE");
    expect(
      (await control<{ calls: unknown[] }>(sim, "GET", "/control/calls?company_code=90001")).body
        .calls,
    ).toEqual([]);
  });

  for (const [msgType, sub] of [
    ["eavesdrop", "EAVESDROP"],
    ["whisper", "WHISPER"],
    ["force_call", "FORCE_CALL"],
  ] as const) {
    it(`${msgType}: a ${msgType}- leg rings the supervisor, the softphone answers, the agent stays on the call`, async () => {
      await scenario(sim, [
        { agent_id: "90001_20001", status: "CALLING", customer_number: "13922223333" },
      ]);
      const boss = track(await checkedIn(sim, BOSS));
      const response = await op(boss, msgType, "90001_20001");
      expect(response.code).toBe("0");
      expect(response.uuid).toMatch(new RegExp(`^${msgType}-[0-9a-f]{32}$`));
      expect((await boss.push((m) => m.msg_type === "callin")).callin_channel).toBe(sub);
      await boss.push(
        (m) => m.msg_type === "callback" && m.action === sub && m.phase === "START_CALL",
      );
      expect(await truth(sim, BOSS)).toMatchObject({
        status: "CALLING",
        sub_status: sub,
        uuid: response.uuid,
      });
      expect((await truth(sim, "90001_20001")).status).toBe("CALLING");
      await control(
        sim,
        "POST",
        `/control/calls/${String((await truth(sim, "90001_20001")).call_uuid)}/hangup`,
      );
      await boss.push(
        (m) => m.msg_type === "callback" && m.action === sub && m.phase === "END_CALL",
      );
      await until(sim, BOSS, (a) => a.status === "FREE");
    });
  }

  it("a monitor channel gets every agent_change of its company, with a fresh req_id and timestamp, and nothing of others", async () => {
    const monitor = track(await SimClient.monitor(sim.port, "90001"));
    const other = track(await SimClient.monitor(sim.port, "90002"));
    await monitor.request({ company_code: "90001", msg_type: "ping" });
    const before = Date.now();
    await scenario(sim, [
      { agent_id: "90001_20001", status: "BUSY" },
      { agent_id: "90001_20002", status: "REST", rest_min: 5 },
      { agent_id: "90001_20003", status: "RINGING", customer_number: "13933334444" },
    ]);
    const busy = await monitor.agentChange("90001_20001", "BUSY");
    expect(busy).toMatchObject({
      code: "0",
      company_code: "90001",
      ext_id: "90001_20001",
      last_agent_status: "OFFLINE",
    });
    expect(busy.req_id).toEqual(expect.any(String));
    expect(monitor.isResponse(busy)).toBe(false);
    expect(busy.timestamp as number).toBeGreaterThanOrEqual(before - 5);
    await monitor.agentChange("90001_20002", "REST");
    const ringing = await monitor.agentChange("90001_20003", "RINGING");
    expect(ringing).toMatchObject({
      in_call_numbers: ["13933334444"],
      uuid: expect.stringMatching(/^call-/),
    });
    const ids = new Set(
      monitor.pushes.filter((m) => m.msg_type === "change_status").map((m) => m.req_id),
    );
    expect(ids.size).toBe(monitor.pushes.filter((m) => m.msg_type === "change_status").length);
    expect(other.pushes.filter((m) => m.msg_type === "change_status")).toEqual([]);
    expect(
      (await monitor.request({ company_code: "90001", msg_type: "call", callee_number: "1" })).code,
    ).toBe("4003");
    expect(
      (
        await monitor.request({
          company_code: "90001",
          msg_type: "checkin",
          agent_id: "90001_monitor",
          agent_pwd: "x",
        })
      ).code,
    ).toBe("4001");
  });

  it("an agent's own channel gets callin with caller_number, callee_number and is_video", async () => {
    const agent = track(await checkedIn(sim, "90001_20001"));
    await control(sim, "POST", "/control/calls", {
      company_code: "90001",
      agent_id: "90001_20001",
      customer_number: "13944445555",
    });
    const callin = await agent.push((m) => m.msg_type === "callin");
    expect(callin).toMatchObject({
      caller_number: "13944445555",
      callee_number: "90001_20001",
      is_video: "0",
    });
    expect(callin.uuid).toMatch(/^call-[0-9a-f]{32}$/);
    expect(callin.callin_channel).toBeUndefined();
  });

  it("a 9999 system error (injected) is answered and the channel keeps working", async () => {
    const agent = track(await checkedIn(sim, "90001_20001"));
    await control(sim, "POST", "/control/faults", {
      msg_type: "change_status",
      code: "9999",
      msg: "boom",
    });
    expect(
      await ask(agent, "90001_20001", { msg_type: "change_status", action: "MAKE_BUSY" }),
    ).toMatchObject({ code: "9999", msg: "boom" });
    expect(
      (await ask(agent, "90001_20001", { msg_type: "change_status", action: "MAKE_BUSY" })).code,
    ).toBe("0");
  });
});
