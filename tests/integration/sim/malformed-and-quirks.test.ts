import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { Simulator } from "@/server/sim/index";
import { SimClient } from "./helpers/sim-client";
import { ask, checkedIn, control, PASSWORD, startQuietSim, truth } from "./helpers/sim-harness";

/** Bad frames get 4002 (or a close for oversized ones) and never disturb anyone else. */
describe("malformed input", () => {
  let sim: Simulator;
  let bystander: SimClient;

  beforeAll(async () => {
    sim = await startQuietSim();
    bystander = await SimClient.monitor(sim.port, "90001");
  });
  afterAll(async () => {
    await bystander.close();
    await sim.close();
  });

  async function stillServing(): Promise<void> {
    expect(
      (
        await bystander.request({
          company_code: "90001",
          msg_type: "get_status",
          agent_id: "90001_20000",
        })
      ).code,
    ).toBe("0");
  }

  const answerTo = async (client: SimClient, text: string) => {
    const reply = client.next((m) => m.code === "4002" && m.req_id === undefined);
    client.send(text);
    return reply;
  };

  it("non-JSON, a JSON array, a JSON scalar and an oversized (100 KB) frame each get 4002 without req_id", async () => {
    const client = await SimClient.agent(sim.port, "90001_20000");
    expect((await answerTo(client, "hello {")).msg).toContain("not_json");
    expect((await answerTo(client, "[1,2,3]")).msg).toContain("not_object");
    expect((await answerTo(client, "42")).msg).toContain("not_object");
    expect((await answerTo(client, JSON.stringify({ pad: "x".repeat(100_000) }))).msg).toContain(
      "too_large",
    );
    expect((await client.request({ company_code: "90001", msg_type: "ping" })).msg_type).toBe(
      "pong",
    );
    await stillServing();
    await client.close();
  });

  it("a 1 MB frame closes that socket with 1009; everyone else is still served", async () => {
    const client = await SimClient.agent(sim.port, "90001_20000");
    client.send(JSON.stringify({ msg_type: "ping", pad: "x".repeat(1024 * 1024) }));
    expect((await client.closed).code).toBe(1009);
    await stillServing();
  });

  it("missing fields and wrong types get 4002 naming the field; missing msg_type or company_code too", async () => {
    const client = await checkedIn(sim, "90001_20001");
    const noUuid = await ask(client, "90001_20001", { msg_type: "hangup" });
    expect(noUuid).toMatchObject({ code: "4002", msg_type: "hangup" });
    expect(noUuid.msg).toContain("uuid");
    const wrongType = await ask(client, "90001_20001", {
      msg_type: "call",
      callee_number: { nested: true },
    });
    expect(wrongType.code).toBe("4002");
    expect(wrongType.msg).toContain("callee_number");
    const badAction = await ask(client, "90001_20001", {
      msg_type: "change_status",
      action: "DANCE",
    });
    expect(badAction.msg).toContain("action");
    const noCompany = client.next((m) => m.req_id === "r-nc");
    client.send(JSON.stringify({ req_id: "r-nc", msg_type: "ping" }));
    expect(await noCompany).toMatchObject({ code: "4002", msg_type: "ping" });
    const noType = client.next((m) => m.req_id === "r-nt");
    client.send(JSON.stringify({ req_id: "r-nt", company_code: "90001" }));
    expect((await noType).msg).toContain("msg_type");
    expect(
      (await ask(client, "90001_20001", { msg_type: "trans", uuid: "call-x", type: 9 })).code,
    ).toBe("4002");
    await client.close();
    await stillServing();
  });

  it("a bad handshake (not base64 JSON, a missing field, a foreign monitor id) is closed with 1008", async () => {
    for (const segment of [
      "!!!",
      Buffer.from("not json").toString("base64url"),
      Buffer.from(JSON.stringify({ agent_id: "90001_20000", os: "Windows" })).toString("base64url"),
      Buffer.from(
        JSON.stringify({ agent_id: "90002_x", company_code: "90001", os: "monitor" }),
      ).toString("base64url"),
    ]) {
      const client = await SimClient.open(sim.port, { segment });
      expect((await client.closed).code, segment).toBe(1008);
    }
    await stillServing();
  });

  it("an upgrade outside /msg/ is refused", async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${sim.port}/other`);
    const error = await new Promise<Error>((resolve) => socket.once("error", resolve));
    expect(error.message).toContain("404");
    await stillServing();
  });

  it("a frame nested deeper than the normalizer reads gets 4002 too_deep; the process survives", async () => {
    const client = await SimClient.agent(sim.port, "90001_20000");
    const levels = 10_000;
    const deep = `{"msg_type":"ping","pad":${'{"a":'.repeat(levels)}1${"}".repeat(levels)}}`;
    expect(Buffer.byteLength(deep)).toBeLessThan(64 * 1024);
    expect((await answerTo(client, deep)).msg).toContain("too_deep");
    const deepArray = `{"msg_type":"ping","pad":${"[".repeat(30_000)}${"]".repeat(30_000)}}`;
    expect((await answerTo(client, deepArray)).msg).toContain("too_deep");
    await stillServing();
    await client.close();
  });

  it("a field sent only through a prototype key (with spaces) is missing, on the socket and the roster", async () => {
    const client = await SimClient.agent(sim.port, "90001_20000");
    const reply = client.next((m) => m.req_id === "r-proto");
    client.send(
      '{"req_id":"r-proto","company_code":"90001","msg_type":"get_status"," __proto__":{"agent_id":"90001_20000"}}',
    );
    const answer = await reply;
    expect(answer).toMatchObject({ code: "4002", msg_type: "get_status" });
    expect(answer.msg).toContain("agent_id");
    await client.close();
    const response = await fetch(`http://127.0.0.1:${sim.port}/openapi/get-agent-list`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"company_code":"90001","page_size":10,"__proto__ ":{"page_no":1}}',
    });
    const roster = (await response.json()) as { code: string; msg: string };
    expect(roster.code).toBe("4002");
    expect(roster.msg).toContain("page_no");
  });

  it("a roster body nested too deep is a 4002, not a crash or a 413", async () => {
    const levels = 20_000;
    const response = await fetch(`http://127.0.0.1:${sim.port}/openapi/get-agent-list`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: `{"company_code":"90001","pad":${'{"a":'.repeat(levels)}1${"}".repeat(levels)}}`,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      code: "4002",
      msg: expect.stringContaining("too_deep"),
    });
    await stillServing();
  });

  it("counts malformed frames in /control/stats", async () => {
    const stats = await control<{ wire: { malformed: number; frames_in: number } }>(
      sim,
      "GET",
      "/control/stats",
    );
    expect(stats.body.wire.malformed).toBeGreaterThanOrEqual(4);
  });
});

/** §2: be liberal in what you accept. */
describe("wire quirks", () => {
  let sim: Simulator;

  beforeAll(async () => {
    sim = await startQuietSim();
  });
  afterAll(() => sim.close());

  it("trims stray spaces in msg_type and in key names", async () => {
    const client = await SimClient.agent(sim.port, "90001_20000");
    const reply = client.next((m) => m.req_id === "q1");
    client.send(
      JSON.stringify({
        " req_id": "q1",
        "company_code ": "90001",
        msg_type: "  get_status ",
        " agent_id": "90001_20000",
      }),
    );
    expect(await reply).toMatchObject({ code: "0", msg_type: "get_status", status: "OFFLINE" });
    await client.close();
  });

  it('reads numbers as strings or numbers, and "" / null as absent', async () => {
    const client = await SimClient.agent(sim.port, "90001_20001");
    const checkin = await client.request({
      company_code: 90001,
      msg_type: "checkin",
      agent_id: "90001_20001",
      ext_id: "",
      agent_ip: null,
      agent_pwd: PASSWORD,
      start_status: "",
    });
    expect(checkin.code).toBe("0");
    expect((await truth(sim, "90001_20001")).status).toBe("FREE");
    const rest = await ask(client, "90001_20001", {
      msg_type: "change_status",
      action: " make_rest ",
      rest_min: 5,
    });
    expect(rest).toMatchObject({ code: "0", agent_status: "REST" });
    await client.close();
  });

  it('accepts statuses as digits (start_status "2" is BUSY)', async () => {
    const client = await SimClient.agent(sim.port, "90001_20002");
    expect(
      (
        await ask(client, "90001_20002", {
          msg_type: "checkin",
          agent_pwd: PASSWORD,
          start_status: "2",
        })
      ).code,
    ).toBe("0");
    expect((await truth(sim, "90001_20002")).status).toBe("BUSY");
    await client.close();
  });

  it("answers requests sharing one req_id separately, told apart by msg_type", async () => {
    const client = await SimClient.agent(sim.port, "90001_20000");
    const status = client.next((m) => m.req_id === "same" && m.msg_type === "get_status");
    const pong = client.next((m) => m.req_id === "same" && m.msg_type === "pong");
    client.send(
      JSON.stringify({
        req_id: "same",
        company_code: "90001",
        msg_type: "get_status",
        agent_id: "90001_20000",
      }),
    );
    client.send(JSON.stringify({ req_id: "same", company_code: "90001", msg_type: "ping" }));
    expect((await status).code).toBe("0");
    expect((await pong).code).toBe("0");
    await client.close();
  });

  it("accepts a handshake in padded standard base64 and URL-encoded", async () => {
    const json = JSON.stringify({ agent_id: "90001_20000", company_code: "90001", os: "Windows" });
    const segment = encodeURIComponent(Buffer.from(json).toString("base64"));
    const client = await SimClient.open(sim.port, { segment });
    await client.push((m) => m.msg_type === "connect");
    await client.close();
  });

  it("closes a silent channel and checks its agent out", async () => {
    const quick = await startQuietSim({ silenceTimeoutMs: 300 });
    try {
      const client = await checkedIn(quick, "90001_20001");
      expect((await client.closed).code).toBe(1001);
      expect((await truth(quick, "90001_20001")).status).toBe("OFFLINE");
      const chatty = await checkedIn(quick, "90001_20002");
      for (let i = 0; i < 5; i++) {
        await new Promise((r) => setTimeout(r, 100));
        await chatty.request({ company_code: "90001", msg_type: "ping" });
      }
      expect((await truth(quick, "90001_20002")).status).toBe("FREE");
      await chatty.close();
    } finally {
      await quick.close();
    }
  });
});
