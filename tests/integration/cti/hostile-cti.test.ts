import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import pino from "pino";
import { WebSocketServer, type WebSocket } from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TTestApp } from "../helpers/app";
import { metrics } from "@/server/metrics";
import { waitFor } from "../floor/helpers/wait";

/**
 * A deliberately hostile CTI: a valid handshake and roster, then frames that are not JSON,
 * not objects, too deep, of the wrong types, of another company, or absurdly large, mixed
 * with a few valid ones. The floor must survive, count and log them, and keep applying the
 * valid frames.
 */
const COMPANY = "90001";
const AGENTS = ["90001_20000", "90001_20001"];

const HOSTILE: string[] = [
  "not json at all",
  "[1,2,3]",
  "42",
  "null",
  '{"code":"0"}',
  `${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}`,
  JSON.stringify({
    msg_type: "change_status",
    company_code: COMPANY,
    agent_id: AGENTS[0],
    agent_status: "DANCING",
  }),
  JSON.stringify({
    msg_type: "change_status",
    company_code: COMPANY,
    agent_id: { $gt: "" },
    agent_status: "FREE",
  }),
  JSON.stringify({
    msg_type: "change_status",
    company_code: "90002",
    agent_id: "90002_20000",
    agent_status: "BUSY",
  }),
  JSON.stringify({
    msg_type: "change_status",
    company_code: COMPANY,
    agent_id: "90002_20000",
    agent_status: "BUSY",
  }),
  JSON.stringify({
    msg_type: "change_status",
    company_code: COMPANY,
    agent_id: AGENTS[1],
    agent_status: "BUSY",
    in_call_numbers: "not-a-list",
  }),
  // agent_status only through a prototype key: a parser that lets it reach the prototype
  // hands the push schema an inherited status and the push is applied.
  '{" __proto__":{"agent_status":"REST","polluted":"yes"},"msg_type":"change_status","company_code":"90001","agent_id":"90001_20001","note":"status-only-in-proto"}',
  JSON.stringify({
    msg_type: "get_status",
    req_id: "nobody-sent-this",
    code: "0",
    status: "CALLING",
  }),
];

interface TAgentState {
  status: string;
  uuid?: string;
  in_call_numbers?: string[];
}

interface Fake {
  server: Server;
  url: string;
  sockets: Set<WebSocket>;
  statusOf: Map<string, TAgentState>;
}

async function startHostileCti(): Promise<Fake> {
  const statusOf = new Map<string, TAgentState>(AGENTS.map((id) => [id, { status: "FREE" }]));
  const answers = new Map<string, number>();
  const sockets = new Set<WebSocket>();
  const server = createServer((req, res) => {
    if (req.url !== "/openapi/get-agent-list") {
      res.writeHead(404).end();
      return;
    }
    req.resume();
    req.on("end", () => {
      const list = AGENTS.map((agent_id) => ({
        agent_id,
        agent_name: agent_id,
        agent_status: "FREE",
      }));
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          code: "0",
          data: [
            {
              skill_id: "9000101",
              skill_name: "售前",
              agents: { list, total_count: 2, total_page: 1, current_page: 1 },
            },
          ],
        }),
      );
    });
  });
  const wss = new WebSocketServer({ server });
  wss.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.send(JSON.stringify({ msg_type: "connect", code: "0", msg: "ok" }));
    socket.on("message", (data) => {
      const frame = JSON.parse(data.toString()) as {
        req_id: string;
        msg_type: string;
        agent_id?: string;
      };
      if (frame.msg_type === "ping")
        socket.send(JSON.stringify({ msg_type: "pong", code: "0", req_id: frame.req_id }));
      if (frame.msg_type === "get_status" && frame.agent_id) {
        // Every other answer per agent is garbage of the right msg_type: wrong status, numbers as an object.
        const count = (answers.get(frame.agent_id) ?? 0) + 1;
        answers.set(frame.agent_id, count);
        const garbage = count % 2 === 0;
        socket.send(
          JSON.stringify(
            garbage
              ? {
                  msg_type: " get_status ",
                  req_id: frame.req_id,
                  code: 0,
                  status: { evil: true },
                  in_call_numbers: { x: 1 },
                }
              : {
                  msg_type: "get_status",
                  req_id: frame.req_id,
                  code: "0",
                  ...statusOf.get(frame.agent_id),
                  status_time: Date.now() - 1000,
                },
          ),
        );
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `ws://127.0.0.1:${port}`, sockets, statusOf };
}

describe("[CTI] a hostile CTI", () => {
  let fake: Fake;
  let app: TTestApp;
  const logLines: string[] = [];

  beforeAll(async () => {
    fake = await startHostileCti();
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(chunk.toString());
        done();
      },
    });
    app = await startTestApp({
      ctiPort: Number(new URL(fake.url).port),
      companies: [COMPANY],
      env: { POLL_INTERVAL_MS: "200", MAX_IN_FLIGHT: "10", CTI_REQUEST_TIMEOUT_MS: "1000" },
      deps: { log: pino({ level: "warn" }, sink) },
    });
    await waitFor(
      () => app.services.floor.store(COMPANY)?.size,
      (n) => n === 2,
      { what: "roster" },
    );
  });

  afterAll(async () => {
    await app.stop();
    for (const socket of fake.sockets) socket.terminate();
    await new Promise<void>((resolve) => fake.server.close(() => resolve()));
  });

  it("survives, counts and logs malformed and hostile frames, and still applies valid ones", async () => {
    const malformedBefore = app.services.cti.monitorChannel(COMPANY)!.status.malformedFrames;
    for (const socket of fake.sockets) for (const frame of HOSTILE) socket.send(frame);
    const valid = {
      msg_type: "change_status",
      req_id: "r-1",
      code: "0",
      company_code: COMPANY,
      agent_id: AGENTS[0],
      agent_status: "RINGING",
      uuid: "call-1",
      in_call_numbers: ["13800138000"],
      timestamp: Date.now(),
    };
    for (const socket of fake.sockets) socket.send(JSON.stringify(valid));
    fake.statusOf.set(AGENTS[0]!, {
      status: "RINGING",
      uuid: "call-1",
      in_call_numbers: ["13800138000"],
    });

    await expect
      .poll(() => app.services.floor.store(COMPANY)?.agent(AGENTS[0]!)?.status, { timeout: 3000 })
      .toBe("RINGING");
    // not JSON, array, number, null, no msg_type, too deep: six frames the channel drops.
    expect(app.services.cti.monitorChannel(COMPANY)!.status.malformedFrames - malformedBefore).toBe(
      6,
    );
    expect(app.services.cti.status().state).toBe("up");

    const text = await waitFor(
      () => metrics().register.metrics(),
      (t) =>
        /floorwatch_get_status_requests_total\{company="90001",result="invalid"\} [1-9]/.test(t),
      { what: "an invalid get_status answer counted" },
    );
    expect(text).toMatch(
      /floorwatch_cti_malformed_frames_total\{company="90001",reason="not_json"\} [1-9]/,
    );
    expect(text).toMatch(/floorwatch_cti_pushes_total\{company="90001",kind="invalid"\} [1-9]/);
    expect(text).toMatch(/floorwatch_cti_pushes_total\{company="90001",kind="foreign"\} [1-9]/);
    expect(text).toMatch(
      /floorwatch_get_status_requests_total\{company="90001",result="invalid"\} [1-9]/,
    );
    expect(logLines.some((l) => l.includes("malformed CTI frame dropped"))).toBe(true);
    expect(logLines.some((l) => l.includes("invalid agent_change push dropped"))).toBe(true);
    expect(logLines.some((l) => l.includes("agent_change of another company dropped"))).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(
      logLines.some(
        (l) =>
          l.includes("invalid agent_change push dropped") && l.includes("status-only-in-proto"),
      ),
    ).toBe(true);

    // The other agent never left its roster state for a hostile value.
    expect(["FREE", "REST"]).toContain(
      app.services.floor.store(COMPANY)?.agent(AGENTS[1]!)?.status,
    );
    expect(app.services.floor.store(COMPANY)?.snapshot().calls).toEqual([
      expect.objectContaining({ uuid: "call-1", state: "ringing", customerNumber: "13800138000" }),
    ]);
  });

  it("survives a frame larger than it accepts by reconnecting", async () => {
    const reconnectsBefore = app.services.cti.monitorChannel(COMPANY)!.status.reconnects;
    for (const socket of fake.sockets)
      socket.send(`{"msg_type":"x","pad":"${"x".repeat(2 * 1024 * 1024)}"}`);
    await expect
      .poll(() => app.services.cti.monitorChannel(COMPANY)!.status.reconnects, { timeout: 5000 })
      .toBeGreaterThan(reconnectsBefore);
    await expect.poll(() => app.services.cti.status().state, { timeout: 10_000 }).toBe("up");
    fake.statusOf.set(AGENTS[1]!, { status: "BUSY" });
    await expect
      .poll(() => app.services.floor.store(COMPANY)?.agent(AGENTS[1]!)?.status, { timeout: 5000 })
      .toBe("BUSY");
  });
});
