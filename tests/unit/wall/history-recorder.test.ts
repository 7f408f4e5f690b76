import pino from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { FloorMinute } from "@/generated/prisma/client";
import type { TFloorAgent, TFloorCall, TLinkState } from "@/lib/floor/types";
import type { TAgentStatus } from "@/lib/protocol/states";
import type { THistoryStore } from "@/server/wall/history";
import { HistoryRecorder, type THistoryFloor } from "@/server/wall/history-recorder";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** 2026-11-30 10:00:30 UTC: half a minute into a minute. */
const T0 = Date.UTC(2026, 10, 30, 10, 0, 30);
const minuteAt = (ms: number) => Math.floor(ms / MINUTE) * MINUTE;

function agent(agentId: string, status: TAgentStatus): TFloorAgent {
  return {
    agentId,
    name: agentId,
    extId: agentId,
    skills: [],
    status,
    statusSince: T0,
    numbers: [],
    confirmedAt: T0,
    stale: false,
    via: "poll",
  };
}

/** A floor whose companies' agents, calls, roster and link the test sets. */
function fakeFloor() {
  const companies = new Map<
    string,
    { agents: TFloorAgent[]; calls: TFloorCall[]; hasRoster: boolean; link: TLinkState["state"] }
  >();
  const floor: THistoryFloor = {
    companies: () => [...companies.keys()],
    store: (code) => {
      const c = companies.get(code);
      return (
        c && { hasRoster: c.hasRoster, snapshot: () => ({ agents: c.agents, calls: c.calls }) }
      );
    },
    heartbeat: (code) => {
      const c = companies.get(code);
      return c && { link: { state: c.link, since: T0 } };
    },
  };
  return { floor, companies };
}

/** The table in memory: a row per company and minute, as the upsert keeps it. */
function memoryStore() {
  const rows = new Map<string, FloorMinute>();
  const prunedBefore: number[] = [];
  const store: THistoryStore = {
    async upsert(written) {
      for (const row of written) rows.set(`${row.companyCode}@${row.minute.getTime()}`, row);
    },
    async pruneBefore(minute) {
      prunedBefore.push(minute);
      let count = 0;
      for (const [key, row] of rows)
        if (row.minute.getTime() < minute) {
          rows.delete(key);
          count += 1;
        }
      return count;
    },
  };
  return { store, rows, prunedBefore };
}

describe("wall history recorder", () => {
  afterEach(() => vi.useRealTimers());

  function setup(keepDays = 7) {
    vi.useFakeTimers({ now: T0 });
    const { floor, companies } = fakeFloor();
    const memory = memoryStore();
    const recorder = new HistoryRecorder({
      floor,
      store: memory.store,
      log: pino({ level: "silent" }),
      keepDays,
    });
    return { recorder, companies, ...memory };
  }

  it("writes one row per company each minute, just after the minute begins", async () => {
    const { recorder, companies, rows } = setup();
    companies.set("90001", {
      agents: [agent("a1", "FREE"), agent("a2", "RINGING"), agent("a3", "CALLING")],
      calls: [
        { uuid: "c1", agentIds: ["a2"], state: "ringing", startedAt: T0 },
        { uuid: "c2", agentIds: ["a3"], state: "hold", startedAt: T0 },
      ],
      hasRoster: true,
      link: "up",
    });
    companies.set("90002", {
      agents: [agent("b1", "REST")],
      calls: [],
      hasRoster: true,
      link: "up",
    });
    recorder.start();
    await vi.advanceTimersByTimeAsync(29_000);
    expect(rows.size).toBe(0);
    // 10:01:01: the minute 10:01 is written.
    await vi.advanceTimersByTimeAsync(2_000);
    expect([...rows.keys()].sort()).toEqual([
      `90001@${minuteAt(T0) + MINUTE}`,
      `90002@${minuteAt(T0) + MINUTE}`,
    ]);
    expect(rows.get(`90001@${minuteAt(T0) + MINUTE}`)).toEqual({
      companyCode: "90001",
      minute: new Date(minuteAt(T0) + MINUTE),
      agentsOffline: 0,
      agentsFree: 1,
      agentsBusy: 0,
      agentsRest: 0,
      agentsRinging: 1,
      agentsCalling: 1,
      agentsArrange: 0,
      callsRinging: 1,
      callsTalking: 1,
    });
    companies.get("90002")!.agents = [agent("b1", "FREE"), agent("b2", "FREE")];
    await vi.advanceTimersByTimeAsync(3 * MINUTE);
    expect(rows.size).toBe(8);
    expect(rows.get(`90002@${minuteAt(T0) + 4 * MINUTE}`)?.agentsFree).toBe(2);
    await recorder.stop();
    await vi.advanceTimersByTimeAsync(5 * MINUTE);
    expect(rows.size).toBe(8);
  });

  it("skips a company with no roster yet or whose CTI link is not up", async () => {
    const { recorder, companies, rows } = setup();
    companies.set("90001", { agents: [], calls: [], hasRoster: false, link: "up" });
    companies.set("90002", {
      agents: [agent("b1", "FREE")],
      calls: [],
      hasRoster: true,
      link: "down",
    });
    companies.set("90003", {
      agents: [agent("c1", "BUSY")],
      calls: [],
      hasRoster: true,
      link: "up",
    });
    expect((await recorder.record()).map((r) => r.companyCode)).toEqual(["90003"]);
    expect(rows.size).toBe(1);
  });

  it("a second sample in the same minute replaces the first (a restart within the minute)", async () => {
    const { recorder, companies, rows } = setup();
    companies.set("90001", {
      agents: [agent("a1", "FREE")],
      calls: [],
      hasRoster: true,
      link: "up",
    });
    await recorder.record(T0);
    companies.get("90001")!.agents = [agent("a1", "BUSY")];
    await recorder.record(T0 + 20_000);
    expect([...rows.values()]).toMatchObject([{ agentsFree: 0, agentsBusy: 1 }]);
  });

  it("prunes minutes older than the kept days at start and then every hour", async () => {
    const { recorder, rows, prunedBefore } = setup(2);
    const old = (ms: number): FloorMinute => ({
      companyCode: "90001",
      minute: new Date(ms),
      agentsOffline: 0,
      agentsFree: 0,
      agentsBusy: 0,
      agentsRest: 0,
      agentsRinging: 0,
      agentsCalling: 0,
      agentsArrange: 0,
      callsRinging: 0,
      callsTalking: 0,
    });
    for (const ms of [minuteAt(T0) - 2 * DAY - MINUTE, minuteAt(T0) - 2 * DAY + 30 * MINUTE])
      rows.set(String(ms), old(ms));
    recorder.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(prunedBefore).toEqual([minuteAt(T0) - 2 * DAY]);
    expect([...rows.keys()]).toEqual([String(minuteAt(T0) - 2 * DAY + 30 * MINUTE)]);
    await vi.advanceTimersByTimeAsync(60 * MINUTE);
    expect(prunedBefore).toEqual([minuteAt(T0) - 2 * DAY, minuteAt(T0) - 2 * DAY + 60 * MINUTE]);
    expect(rows.size).toBe(0);
    await recorder.stop();
  });

  it("a failed write is logged and the next minute writes again", async () => {
    const { recorder, companies, store, rows } = setup();
    companies.set("90001", {
      agents: [agent("a1", "FREE")],
      calls: [],
      hasRoster: true,
      link: "up",
    });
    const upsert = store.upsert.bind(store);
    let failures = 1;
    store.upsert = async (written) => {
      if (failures-- > 0) throw new Error("disk full");
      return upsert(written);
    };
    recorder.start();
    await vi.advanceTimersByTimeAsync(31_000);
    expect(rows.size).toBe(0);
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect([...rows.values()].map((r) => r.minute.getTime())).toEqual([minuteAt(T0) + 2 * MINUTE]);
    await recorder.stop();
  });
});
