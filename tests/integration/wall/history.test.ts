import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { summarize } from "@/lib/floor/view";
import { ZWallHistory, type THistoryPoint, type TWallHistory } from "@/lib/wall/types";
import { prepareAuthEnvironment, requestHeaders } from "../auth/harness";
import { control, startSim, type TSimProcess } from "../floor/helpers/sim";
import { waitFor } from "../floor/helpers/wait";

prepareAuthEnvironment();

const { db } = await import("@/server/db");
const { startTestApp } = await import("../helpers/app");
const { createPrincipals } = await import("./principals");
const historyRoute = await import("@/app/api/wall/[company]/history/route");
type TTestApp = Awaited<ReturnType<typeof startTestApp>>;

const COMPANY = "90001";
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const minuteOf = (ms: number) => Math.floor(ms / MINUTE) * MINUTE;

/** A quiet floor of 20 agents, all OFFLINE until the test sets them. */
const SIM_ENV = { SIM_COMPANIES: COMPANY, SIM_AGENTS: "20", SIM_CALL_RATE: "0" };

/**
 * [WALL] The per-minute history against the real simulator: what the recorder writes is the
 * floor's, readable through GET /api/wall/<company>/history, kept across a restart on the same
 * database (a restart within a minute rewrites that minute's row), and pruned after
 * WALL_HISTORY_DAYS at start.
 */
describe("[WALL] per-minute floor history", () => {
  let sim: TSimProcess;
  let app: TTestApp;
  let viewerCookie = "";
  const start = Date.now();
  const oldMinute = minuteOf(start) - 2 * DAY;
  const keptMinute = minuteOf(start) - 23 * HOUR;

  /**
   * The app on the test's database. Unless `sampling`, its recorder is stopped at once (after
   * the prune it starts with): the tests write their minutes themselves, at times they choose.
   */
  async function startApp(sampling = false): Promise<TTestApp> {
    const started = await startTestApp({
      ctiPort: sim.port,
      companies: [COMPANY],
      env: { WALL_HISTORY_DAYS: "1", POLL_INTERVAL_MS: "300" },
    });
    if (!sampling) await started.services.wall.recorder.stop();
    await waitFor(
      () => ({
        roster: started.services.floor.store(COMPANY)?.hasRoster,
        link: started.services.floor.heartbeat(COMPANY)?.link.state,
      }),
      (s) => s.roster === true && s.link === "up",
      { timeout: 20_000, what: "roster and link up" },
    );
    return started;
  }

  /** The route's answer; its `fromMinute` checked against the clock around the request. */
  async function history(hours?: number): Promise<TWallHistory> {
    const query = hours === undefined ? "" : `?hours=${hours}`;
    const asked = minuteOf(Date.now());
    const response = await historyRoute.GET(
      new Request(`http://127.0.0.1:3399/api/wall/${COMPANY}/history${query}`, {
        headers: requestHeaders({ cookie: viewerCookie, ip: "10.3.0.1" }),
      }),
      { params: Promise.resolve({ company: COMPANY }) },
    );
    expect(response.status).toBe(200);
    const answer = ZWallHistory.parse(await response.json());
    const window = (hours ?? 8) * HOUR;
    expect([asked - window, minuteOf(Date.now()) - window]).toContain(answer.fromMinute);
    return answer;
  }

  /** The floor's counts now, as a history point of `minute`. */
  function floorPoint(minute: number): THistoryPoint {
    const { agents, calls } = app.services.floor.store(COMPANY)!.snapshot();
    const summary = summarize(agents, calls);
    return {
      minute,
      counts: summary.byStatus,
      ringing: summary.ringingCalls,
      talking: summary.talkingCalls,
    };
  }

  async function setFloor(
    agents: { agent_id: string; status: string; customer_number?: string }[],
  ) {
    await control(sim, "/control/scenario", { company_code: COMPANY, agents });
    await waitFor(
      () =>
        agents.every(
          (a) => app.services.floor.store(COMPANY)?.agent(a.agent_id)?.status === a.status,
        ),
      Boolean,
      { timeout: 10_000, what: "the scenario on the floor" },
    );
  }

  beforeAll(async () => {
    const row = (minute: number, agentsFree: number) => ({
      companyCode: COMPANY,
      minute: new Date(minute),
      agentsOffline: 0,
      agentsFree,
      agentsBusy: 0,
      agentsRest: 0,
      agentsRinging: 0,
      agentsCalling: 0,
      agentsArrange: 0,
      callsRinging: 0,
      callsTalking: 0,
    });
    await db().floorMinute.createMany({ data: [row(oldMinute, 1), row(keptMinute, 2)] });
    sim = await startSim(SIM_ENV);
    app = await startApp();
    const principals = await createPrincipals();
    viewerCookie = principals.cookies.viewer;
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await sim?.kill();
  });

  it("prunes at start what is older than WALL_HISTORY_DAYS, keeps the rest", async () => {
    const minutes = await waitFor(
      async () =>
        (await db().floorMinute.findMany({ orderBy: { minute: "asc" } })).map((r) =>
          r.minute.getTime(),
        ),
      (m) => !m.includes(oldMinute),
      { what: "the old minute pruned" },
    );
    expect(minutes).toEqual([keptMinute]);
  });

  it("records the floor's agents by state and its calls, per minute, readable through the route", async () => {
    await setFloor([
      { agent_id: `${COMPANY}_20000`, status: "FREE" },
      { agent_id: `${COMPANY}_20001`, status: "FREE" },
      { agent_id: `${COMPANY}_20002`, status: "FREE" },
      { agent_id: `${COMPANY}_20003`, status: "BUSY" },
      { agent_id: `${COMPANY}_20005`, status: "REST" },
      { agent_id: `${COMPANY}_20006`, status: "CALLING", customer_number: "13912345678" },
      { agent_id: `${COMPANY}_20007`, status: "CALLING", customer_number: "13912345679" },
      { agent_id: `${COMPANY}_20008`, status: "RINGING", customer_number: "13912345670" },
    ]);
    const now = Date.now();
    const first = floorPoint(minuteOf(now) - 2 * MINUTE);
    expect(first).toMatchObject({
      counts: { OFFLINE: 12, FREE: 3, BUSY: 1, REST: 1, CALLING: 2, RINGING: 1, ARRANGE: 0 },
      ringing: 1,
      talking: 2,
    });
    await app.services.wall.recorder.record(now - 2 * MINUTE);
    await app.services.wall.recorder.record(now - MINUTE);
    await setFloor([{ agent_id: `${COMPANY}_20000`, status: "BUSY" }]);
    const last = floorPoint(minuteOf(now));
    expect(last.counts).toMatchObject({ FREE: 2, BUSY: 2 });
    await app.services.wall.recorder.record(now);

    const day = await history(24);
    expect(day.points.map((p) => p.minute)).toEqual([
      keptMinute,
      minuteOf(now) - 2 * MINUTE,
      minuteOf(now) - MINUTE,
      minuteOf(now),
    ]);
    expect(day.points.slice(1)).toEqual([
      first,
      { ...first, minute: minuteOf(now) - MINUTE },
      last,
    ]);
    // The default window (8 hours) leaves the minute of 23 hours ago out.
    expect((await history()).points.map((p) => p.minute)).toEqual(
      day.points.slice(1).map((p) => p.minute),
    );
  });

  it("survives a restart on the same database; the restart's minute is rewritten, not added", async () => {
    const before = await history(24);
    await app.stop();
    app = await startApp();
    expect((await history(24)).points).toEqual(before.points);

    await setFloor([{ agent_id: `${COMPANY}_20001`, status: "REST" }]);
    const lastMinute = before.points.at(-1)!.minute;
    await app.services.wall.recorder.record(lastMinute + 30_000);
    const after = await history(24);
    expect(after.points.map((p) => p.minute)).toEqual(before.points.map((p) => p.minute));
    expect(after.points.at(-1)).toEqual(floorPoint(lastMinute));
    expect(after.points.at(-1)?.counts).toMatchObject({ FREE: 1, REST: 2 });
    expect(
      await db().floorMinute.count({
        where: { companyCode: COMPANY, minute: new Date(lastMinute) },
      }),
    ).toBe(1);
  }, 60_000);

  it("the running app writes each minute by itself, just after the minute begins", async () => {
    await app.stop();
    app = await startApp(true);
    await setFloor([{ agent_id: `${COMPANY}_20002`, status: "BUSY" }]);
    const next = minuteOf(Date.now()) + MINUTE;
    const expected = floorPoint(next);
    const written = await waitFor(
      () =>
        db().floorMinute.findUnique({
          where: { companyCode_minute: { companyCode: COMPANY, minute: new Date(next) } },
        }),
      (row) => row !== null,
      { timeout: 75_000, interval: 250, what: "the next minute written by the app" },
    );
    expect(Date.now() - next).toBeLessThan(10_000);
    expect(written).toMatchObject({ agentsBusy: 3, agentsFree: 0, callsTalking: 2 });
    expect((await history(1)).points.at(-1)).toEqual(expected);
  }, 120_000);
});
