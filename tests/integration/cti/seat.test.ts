import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SeatChannel, type TSeatStatus } from "@/server/cti/seat";
import { SeatRegistry } from "@/server/cti/seats";
import { startSim, truthAgents, type TSimProcess } from "../floor/helpers/sim";
import { waitFor } from "../floor/helpers/wait";

const COMPANY = "94001";
/** `_20004` is a supervisor of every generated floor (docs/simulator.md); demo password. */
const SUPERVISOR = `${COMPANY}_20004`;
const PASSWORD = "Aa123321.";

async function statusOf(sim: TSimProcess, agentId: string): Promise<string | undefined> {
  return (await truthAgents(sim, COMPANY)).find((a) => a.agent_id === agentId)?.status;
}

function nextStatus(seat: SeatChannel, state: TSeatStatus["state"]): Promise<TSeatStatus> {
  return new Promise((resolve) => {
    const listener = (status: TSeatStatus) => {
      if (status.state !== state) return;
      seat.off("status", listener);
      resolve(status);
    };
    seat.on("status", listener);
  });
}

describe("[CTI] seat channel: a supervisor's own CTI agent", () => {
  let sim: TSimProcess;
  let port: number;
  const seats: SeatChannel[] = [];

  function seat(password = PASSWORD): SeatChannel {
    const s = new SeatChannel(
      { baseUrl: `ws://127.0.0.1:${port}`, companyCode: COMPANY, agentId: SUPERVISOR },
      password,
    );
    seats.push(s);
    return s;
  }

  beforeAll(async () => {
    sim = await startSim({ SIM_COMPANIES: COMPANY, SIM_AGENTS: "30", SIM_CALL_RATE: "0" });
    port = sim.port;
  });
  afterAll(async () => {
    for (const s of seats) await s.unlink();
    await sim.kill();
  });

  it("checks in with the password, and checks out on unlink", async () => {
    const s = seat();
    const linked = await s.link();
    expect(linked, JSON.stringify(linked)).toMatchObject({ state: "linked", agentId: SUPERVISOR });
    expect(await statusOf(sim, SUPERVISOR)).toBe("FREE");
    await s.unlink();
    expect(s.status).toMatchObject({ state: "unlinked", reason: "unlinked" });
    await waitFor(
      () => statusOf(sim, SUPERVISOR),
      (st) => st === "OFFLINE",
      {
        what: "checked out",
      },
    );
  });

  it("says wrong_password for a wrong password and does not retry", async () => {
    const s = seat("not-the-password");
    const result = await s.link();
    expect(result).toMatchObject({ state: "lost", reason: "wrong_password", code: "4004" });
    await expect(s.request("get_status", { agent_id: SUPERVISOR })).rejects.toMatchObject({
      kind: "link_down",
    });
  });

  it("never shows its password in JSON or in its status", async () => {
    const s = seat("secret-password-123");
    await s.link();
    expect(JSON.stringify(s)).not.toContain("secret-password-123");
    expect(JSON.stringify(s.status)).not.toContain("secret-password-123");
  });

  it("is lost with kicked_off when the same agent checks in elsewhere", async () => {
    const first = seat();
    expect((await first.link()).state).toBe("linked");
    const lost = nextStatus(first, "lost");
    const second = seat();
    expect((await second.link()).state).toBe("linked");
    expect(await lost).toMatchObject({ state: "lost", reason: "kicked_off" });
    await second.unlink();
  });

  it("checks in again by itself after the CTI restarts", async () => {
    const s = seat();
    expect((await s.link()).state).toBe("linked");
    const down = nextStatus(s, "linking");
    await sim.kill();
    expect(await down).toMatchObject({ state: "linking", reason: "cti_down" });
    const relinked = nextStatus(s, "linked");
    sim = await startSim({
      SIM_COMPANIES: COMPANY,
      SIM_AGENTS: "30",
      SIM_CALL_RATE: "0",
      SIM_PORT: String(port),
    });
    await relinked;
    expect(await statusOf(sim, SUPERVISOR)).toBe("FREE");
    await s.unlink();
  }, 40_000);

  it("the registry keeps one seat per owner and replaces it on a new link", async () => {
    const registry = new SeatRegistry({
      baseUrl: `ws://127.0.0.1:${port}`,
      requestTimeoutMs: 2000,
    });
    const identity = { companyCode: COMPANY, agentId: SUPERVISOR };
    expect((await registry.link("user-1", identity, PASSWORD)).state).toBe("linked");
    const first = registry.get("user-1")!;
    expect((await registry.link("user-1", identity, PASSWORD)).state).toBe("linked");
    expect(first.status.state).toBe("unlinked");
    expect(registry.size).toBe(1);
    expect((await registry.link("user-2", identity, "wrong-password")).state).toBe("lost");
    expect(registry.get("user-2")).toBeUndefined();
    await registry.stop();
    expect(registry.size).toBe(0);
  });
});
