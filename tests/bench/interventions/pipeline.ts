/**
 * Figure 1 of bench:interventions: the server's own time from the entry of a force hang-up to the
 * moment its request frame is handed to the seat's socket. The application is createApp's (as
 * server/index.ts assembles it, temporary migrated database, CTI link to the simulator); the
 * supervisor's seat is linked with force:true; agents are put into calls by the simulator's
 * scenario API; each hang-up goes through `app.services.interventions.pipeline.run`, one at a
 * time. The send moment is observed by wrapping `WebSocket.prototype.send` of `ws` in this process
 * (the seat channel's socket is a `ws` WebSocket): no server code is changed. The answer's arrival
 * is observed the same way (`emit("message")` of the frame with the request's req_id).
 */
import path from "node:path";
import pino from "pino";
import WebSocket from "ws";
import type { TViewer } from "@/lib/auth/viewer";
import { createApp, type TApp } from "@/server/app";
import { loadAuthConfig } from "@/server/auth/config";
import { loadConfig } from "@/server/config";
import { atMost, quantile, round } from "../floor/judge";
import { migrate, startSimulator } from "./procs";

const COMPANY = "95001";
const PASSWORD = "Aa123321.";
const META = { ip: "127.0.0.1", userAgent: "bench:interventions" };
/** The supervisor's own CTI agent (every 25th agent from 20004 is a supervisor in the simulator). */
const SUPERVISOR: TViewer = {
  kind: "user",
  id: "u-bench-sup",
  name: "bench_sup",
  role: "supervisor",
  companies: [COMPANY],
  ctiAgentId: `${COMPANY}_20004`,
};
export const HANGUPS = Number(process.env.BENCH_HANGUPS ?? 200);
const WARMUP = 20;
export const TARGET_P95_MS = 15;

const log = (msg: string, extra: object = {}) =>
  process.stderr.write(`${JSON.stringify({ bench: "interventions", msg, ...extra })}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The moments frames of interest were written and answered, by req_id. */
interface TWire {
  sent: Map<string, number>;
  answered: Map<string, number>;
  /** req_id of the last interrupt_call frame sent. */
  last?: string;
}

/** Wraps ws's send and message emit in this process: the seat's interrupt_call frames. */
function watchWire(): TWire {
  const wire: TWire = { sent: new Map(), answered: new Map() };
  const proto = WebSocket.prototype as unknown as {
    send: (data: unknown, ...rest: unknown[]) => void;
    emit: (event: string | symbol, ...args: unknown[]) => boolean;
  };
  const send = proto.send;
  proto.send = function (this: WebSocket, data: unknown, ...rest: unknown[]) {
    if (typeof data === "string" && data.includes('"msg_type":"interrupt_call"')) {
      const at = performance.now();
      const reqId = (JSON.parse(data) as { req_id?: string }).req_id;
      if (reqId) {
        wire.sent.set(reqId, at);
        wire.last = reqId;
      }
    }
    return send.call(this, data, ...rest);
  };
  const emit = proto.emit;
  proto.emit = function (this: WebSocket, event: string | symbol, ...args: unknown[]) {
    if (event === "message" && wire.last && !wire.answered.has(wire.last)) {
      const text = String(args[0]);
      if (text.includes(wire.last)) wire.answered.set(wire.last, performance.now());
    }
    return emit.call(this, event, ...args);
  };
  return wire;
}

async function control<T>(controlPort: number, route: string, body?: unknown): Promise<T> {
  const response = await fetch(`http://127.0.0.1:${controlPort}${route}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${route}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function waitFor<T>(read: () => T, ok: (value: T) => boolean, ms: number, what: string) {
  const until = Date.now() + ms;
  for (;;) {
    const value = read();
    if (ok(value)) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** `count` agents (not supervisors, not the seat) put into calls at once; their call uuids. */
async function agentsInCalls(app: TApp, controlPort: number, count: number) {
  const ids: string[] = [];
  for (let n = 20000; ids.length < count; n++)
    if ((n - 20004) % 25 !== 0) ids.push(`${COMPANY}_${n}`);
  await control(controlPort, "/control/scenario", {
    company_code: COMPANY,
    agents: ids.map((agent_id) => ({
      agent_id,
      status: "CALLING",
      customer_number: "13912345678",
    })),
  });
  const truth = await control<{ agents: { agent_id: string; uuid: string | null }[] }>(
    controlPort,
    `/control/agents?company_code=${COMPANY}`,
  );
  const uuids = new Map(truth.agents.map((a) => [a.agent_id, a.uuid]));
  const targets = ids.map((agentId) => {
    const callUuid = uuids.get(agentId);
    if (!callUuid) throw new Error(`${agentId} is not in a call after the scenario`);
    return { agentId, callUuid };
  });
  await waitFor(
    () =>
      targets.every(
        (t) => app.services.floor.store(COMPANY)?.agent(t.agentId)?.uuid === t.callUuid,
      ),
    Boolean,
    30_000,
    "every target in its call on the floor",
  );
  return targets;
}

export async function measurePipeline(tmp: string) {
  const sim = await startSimulator({
    SIM_COMPANIES: COMPANY,
    // The first half of the simulator's agents are numbered from 20000: room for every target.
    SIM_AGENTS: String(2 * (HANGUPS + WARMUP) + 100),
    SIM_CALL_RATE: "0",
    SIM_SEED: "bench-interventions",
  });
  const databaseUrl = `file:${path.join(tmp, "pipeline.db")}`;
  await migrate(databaseUrl);
  process.env.DATABASE_URL = databaseUrl;
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    PORT: "0",
    HOST: "127.0.0.1",
    PUBLIC_URL: "http://127.0.0.1",
    POLL_INTERVAL_MS: "300",
    MAX_IN_FLIGHT: "100",
    AUTH_SECRET: "bench-interventions-secret-0123456789abcdef",
    LOG_LEVEL: "warn",
  };
  const wire = watchWire();
  const app = createApp({
    config: loadConfig(env),
    authConfig: loadAuthConfig(env),
    log: pino({ level: "warn" }, pino.destination(2)),
    cti: {
      url: `ws://127.0.0.1:${sim.port}`,
      httpUrl: `http://127.0.0.1:${sim.port}`,
      companies: [{ companyCode: COMPANY, monitorAgentId: `${COMPANY}_monitor` }],
    },
    process: { version: "bench", mode: "external-cti" },
    seedAccounts: false,
  });
  await app.start();
  try {
    await waitFor(() => app.services.floor.store(COMPANY)?.hasRoster, Boolean, 60_000, "roster");
    const linked = await app.services.interventions.seats.link(
      SUPERVISOR,
      { password: PASSWORD, force: true },
      META,
    );
    if (!linked.ok) throw new Error(`seat link refused: ${JSON.stringify(linked)}`);
    const targets = await agentsInCalls(app, sim.controlPort, HANGUPS + WARMUP);
    log("pipeline: targets in calls, hanging up", { hangups: HANGUPS, warmup: WARMUP });
    const toSend: number[] = [];
    const toReturn: number[] = [];
    const answer: number[] = [];
    const failures: string[] = [];
    for (const [i, target] of targets.entries()) {
      wire.last = undefined;
      const entry = performance.now();
      const result = await app.services.interventions.pipeline.run(
        "interrupt_call",
        SUPERVISOR,
        {
          companyCode: COMPANY,
          targetAgentId: target.agentId,
          callUuid: target.callUuid,
          reason: "bench",
          idempotencyKey: crypto.randomUUID(),
        },
        META,
      );
      const returned = performance.now();
      const reqId = wire.last;
      const sentAt = reqId === undefined ? undefined : wire.sent.get(reqId);
      if (!result.ok || sentAt === undefined) {
        failures.push(
          result.ok ? `${target.agentId}: no frame seen` : `${target.agentId}: ${result.code}`,
        );
        continue;
      }
      if (i < WARMUP) continue;
      toSend.push(sentAt - entry);
      toReturn.push(returned - entry);
      const answeredAt = wire.answered.get(reqId!);
      if (answeredAt !== undefined) answer.push(answeredAt - sentAt);
    }
    const ms = (values: number[], q: number) => {
      const v = quantile(values, q);
      return v === null ? null : round(v, 2);
    };
    return {
      how: "app.services.interventions.pipeline.run on createApp's app (in this process), sequential; send moment = WebSocket.prototype.send of ws wrapped in the bench process (the seat channel's socket), no proxy",
      hangups: HANGUPS,
      warmupNotCounted: WARMUP,
      measured: toSend.length,
      failures,
      entryToSendMs: {
        p50: ms(toSend, 0.5),
        p95: atMost(ms(toSend, 0.95), TARGET_P95_MS),
        p99: ms(toSend, 0.99),
        max: ms(toSend, 1),
      },
      sendToCtiAnswerMs: {
        what: "the simulator's answer delay as the server sees it: frame written to the ack frame received (loopback)",
        p50: ms(answer, 0.5),
        p95: ms(answer, 0.95),
      },
      entryToActionReturnMs: {
        what: "entry to pipeline.run's return (after the ack and its durable ACKED record)",
        p50: ms(toReturn, 0.5),
        p95: ms(toReturn, 0.95),
      },
      complete: atMost(failures.length, 0),
    };
  } finally {
    await app.stop();
    await app.services.db.$disconnect().catch(() => {});
  }
}
