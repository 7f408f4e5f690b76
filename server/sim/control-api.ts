import type { TFreezableClock } from "./clock";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { z } from "zod";
import { isResultCode, ResultCode } from "@/lib/protocol/codes";
import { isRequestType } from "@/lib/protocol/requests";
import type { ChannelHub } from "./channel-hub";
import { parseJson, readBody, sendJson } from "./http-util";
import { applyScenario, ScenarioError, ZScenarioRequest } from "./scenario";
import type { SimFloor } from "./sim-floor";
import { agentSnapshot, callSnapshot } from "./snapshots";
import type { SimStats } from "./stats";
import type { TCompany } from "./types";

/**
 * Loopback-only control API for tests and demos (docs/simulator.md): ground truth, exact
 * scenarios, calls on command, traffic knobs, fault injection. Never on the dashboard's path.
 */
export interface TControlDeps {
  floor: () => SimFloor;
  hub: ChannelHub;
  stats: SimStats;
  reset: () => void;
  clock: TFreezableClock;
}

const ZCreateCall = z.object({
  company_code: z.string().min(1),
  agent_id: z.string().min(1).optional(),
  skill_id: z.string().min(1).optional(),
  customer_number: z.string().min(1).default("13800138000"),
  direction: z.enum(["in", "out"]).default("in"),
  /** Let a client-driven agent's softphone answer by itself; otherwise wait for `/answer`. */
  auto_answer: z.boolean().default(false),
});

const ZHangupCall = z.object({ side: z.enum(["customer", "agent"]).default("customer") });

const ZTraffic = z.object({
  call_rate: z.number().min(0).max(100_000).optional(),
  paused: z.boolean().optional(),
});

/** Freezes every simulator timer (traffic, ARRANGE, REST, answer delays), or thaws them. */
const ZClock = z.object({ frozen: z.boolean() });

const ZRelease = z.object({
  company_code: z.string().min(1),
  agent_ids: z.array(z.string().min(1)).optional(),
});

const ZFault = z.object({
  msg_type: z.string().refine(isRequestType, "a request msg_type"),
  code: z.string().refine(isResultCode, "a result code of protocol.md §7"),
  msg: z.string().default("injected fault"),
  count: z.number().int().min(1).default(1),
  /** Answer nothing (the client times out) instead of answering with `code`. */
  silent: z.boolean().default(false),
});

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function parseWith<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new HttpError(400, z.prettifyError(parsed.error));
  return parsed.data;
}

function companyOf(deps: TControlDeps, code: string | null | undefined): TCompany {
  if (!code) throw new HttpError(400, "company_code is required");
  const company = deps.floor().engine.companies.get(code);
  if (!company) throw new HttpError(404, `company ${code} does not exist`);
  return company;
}

type TRoute = (deps: TControlDeps, url: URL, body: unknown, params: string[]) => unknown;

const ROUTES: { method: string; pattern: RegExp; run: TRoute }[] = [
  {
    method: "GET",
    pattern: /^\/control\/agents$/,
    run: (deps, url) => {
      const company = companyOf(deps, url.searchParams.get("company_code"));
      const only = url.searchParams.get("agent_id");
      const agents = only ? company.roster.filter((a) => a.agentId === only) : company.roster;
      return {
        company_code: company.companyCode,
        skills: company.skills.map((s) => ({ skill_id: s.skillId, skill_name: s.skillName })),
        agents: agents.map(agentSnapshot),
      };
    },
  },
  {
    method: "GET",
    pattern: /^\/control\/calls$/,
    run: (deps, url) => {
      const company = companyOf(deps, url.searchParams.get("company_code"));
      const engine = deps.floor().engine;
      const calls = [...engine.calls.values()].filter((c) => c.companyCode === company.companyCode);
      return {
        calls: calls.map(callSnapshot),
        queued: engine.queued(company.companyCode).map((c) => c.uuid),
      };
    },
  },
  {
    method: "POST",
    pattern: /^\/control\/calls$/,
    run: (deps, _url, body) => {
      const request = parseWith(ZCreateCall, body);
      const company = companyOf(deps, request.company_code);
      const engine = deps.floor().engine;
      const agent = request.agent_id ? company.agents.get(request.agent_id) : undefined;
      if (request.agent_id && !agent)
        throw new HttpError(404, `agent ${request.agent_id} does not exist`);
      if (
        agent &&
        (agent.status === "OFFLINE" || agent.status === "RINGING" || agent.status === "CALLING")
      ) {
        throw new HttpError(409, `agent ${agent.agentId} is ${agent.status}`);
      }
      if (request.direction === "out") {
        if (!agent) throw new HttpError(400, "an outbound call needs agent_id");
        return callSnapshot(engine.dialHeld(agent, request.customer_number));
      }
      if (request.skill_id && !company.skills.some((s) => s.skillId === request.skill_id)) {
        throw new HttpError(404, `skill ${request.skill_id} does not exist`);
      }
      const call = engine.inbound({
        companyCode: company.companyCode,
        customerNumber: request.customer_number,
        skillId: request.skill_id ?? agent?.skills[0],
        target: agent,
        autoAnswer: request.auto_answer,
      });
      return callSnapshot(call);
    },
  },
  {
    method: "POST",
    pattern: /^\/control\/calls\/([^/]+)\/(answer|hangup)$/,
    run: (deps, _url, body, params) => {
      const engine = deps.floor().engine;
      const call = engine.findCall(params[0] ?? "");
      if (!call) throw new HttpError(404, `call ${params[0]} not found`);
      if (params[1] === "answer") {
        engine.answerAll(call);
        return callSnapshot(call);
      }
      const { side } = parseWith(ZHangupCall, body);
      const leg = call.legs.find((l) => l.answered && !l.monitor);
      const agent = leg ? engine.agent(call.companyCode, leg.agentId) : undefined;
      if (side === "agent" && agent) engine.hangupByAgent(agent, call);
      else engine.customerHangup(call);
      return callSnapshot(call);
    },
  },
  {
    method: "POST",
    pattern: /^\/control\/scenario$/,
    run: (deps, _url, body) => {
      const request = parseWith(ZScenarioRequest, body);
      const company = companyOf(deps, request.company_code);
      const floor = deps.floor();
      try {
        return {
          agents: applyScenario(floor.engine, deps.hub, company, request).map(agentSnapshot),
        };
      } catch (error) {
        if (error instanceof ScenarioError) throw new HttpError(error.status, error.message);
        throw error;
      }
    },
  },
  {
    method: "POST",
    pattern: /^\/control\/release$/,
    run: (deps, _url, body) => {
      const request = parseWith(ZRelease, body);
      const company = companyOf(deps, request.company_code);
      const released = company.roster.filter(
        (a) => a.driver === "test" && (!request.agent_ids || request.agent_ids.includes(a.agentId)),
      );
      for (const agent of released) agent.driver = null;
      return { released: released.map((a) => a.agentId) };
    },
  },
  {
    method: "POST",
    pattern: /^\/control\/traffic$/,
    run: (deps, _url, body) => {
      const request = parseWith(ZTraffic, body);
      const model = deps.floor().model;
      if (request.call_rate !== undefined) model.setCallRate(request.call_rate);
      if (request.paused !== undefined) model.setPaused(request.paused);
      return model.state;
    },
  },
  {
    method: "POST",
    pattern: /^\/control\/clock$/,
    run: (deps, _url, body) => {
      const { frozen } = parseWith(ZClock, body);
      if (frozen) deps.clock.freeze();
      else deps.clock.thaw();
      return { frozen: deps.clock.frozen };
    },
  },
  {
    method: "POST",
    pattern: /^\/control\/reset$/,
    run: (deps) => {
      deps.reset();
      return { ok: true };
    },
  },
  {
    method: "POST",
    pattern: /^\/control\/faults$/,
    run: (deps, _url, body) => {
      const fault = parseWith(ZFault, body);
      deps.floor().router.faults.set(fault.msg_type, {
        code: fault.code as ResultCode,
        msg: fault.msg,
        remaining: fault.count,
        silent: fault.silent,
      });
      return { ok: true };
    },
  },
  {
    method: "GET",
    pattern: /^\/control\/stats$/,
    run: (deps) => statsBody(deps),
  },
  {
    method: "POST",
    pattern: /^\/control\/gc$/,
    run: (deps) => {
      // Only when node runs with --expose-gc; the heap figure is then free of garbage.
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      return { gc: gc !== undefined, ...statsBody(deps) };
    },
  },
];

function statsBody(deps: TControlDeps) {
  const floor = deps.floor();
  const memory = process.memoryUsage();
  return {
    wire: deps.stats.toJSON(),
    floor: { ...floor.engine.counters, calls_active: floor.engine.calls.size },
    traffic: floor.model.state,
    memory: { heap_used: memory.heapUsed, heap_total: memory.heapTotal, rss: memory.rss },
  };
}

export function createControlServer(deps: TControlDeps): Server {
  return createServer((request, response) => void serve(deps, request, response));
}

/**
 * Loopback is not enough: any page open in a browser on this machine can reach 127.0.0.1, and a
 * `text/plain` POST needs no CORS preflight. Browsers put `Origin` on every cross-origin request
 * and on every POST; our callers (tests, benches, scripts) are not browsers and send none. A body
 * must be declared JSON, which a page cannot do cross-origin without a preflight we never answer.
 */
function refuseBrowserRequests(request: IncomingMessage): void {
  if (request.headers.origin !== undefined)
    throw new HttpError(403, "requests with an Origin header are refused: not for browsers");
  const hasBody =
    request.headers["transfer-encoding"] !== undefined ||
    Number(request.headers["content-length"] ?? 0) > 0;
  const mediaType = (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (hasBody && mediaType !== "application/json")
    throw new HttpError(415, "a request body must be sent as Content-Type: application/json");
}

async function serve(
  deps: TControlDeps,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? "/", "http://127.0.0.1");
  const matches = ROUTES.map((r) => ({ route: r, params: r.pattern.exec(url.pathname) })).filter(
    (m) => m.params,
  );
  const hit = matches.find((m) => m.route.method === request.method);
  try {
    refuseBrowserRequests(request);
    if (!hit)
      throw new HttpError(
        matches.length ? 405 : 404,
        matches.length ? "method not allowed" : "not found",
      );
    const body = request.method === "POST" ? parseJson(await readBody(request)) : undefined;
    if (request.method === "POST" && body === undefined)
      throw new HttpError(400, "body is not JSON");
    const params = hit.params ? hit.params.slice(1).map((p) => decodeURIComponent(p)) : [];
    sendJson(response, 200, hit.route.run(deps, url, body, params));
  } catch (error) {
    const status = error instanceof HttpError ? error.status : 500;
    sendJson(response, status, {
      error: error instanceof Error ? error.message : "internal error",
      code: status === 500 ? ResultCode.SYSTEM_ERROR : undefined,
    });
  }
}
