import { describe, expect, it } from "vitest";
import type { WireRecord } from "@/lib/protocol/normalize";
import { ChannelHub } from "@/server/sim/channel-hub";
import { ManualClock } from "@/server/sim/clock";
import { buildCompany } from "@/server/sim/floor";
import { resolveSimOptions } from "@/server/sim/options";
import { SimFloor } from "@/server/sim/sim-floor";
import { SimStats } from "@/server/sim/stats";
import type { TChannel } from "@/server/sim/types";

/** Runs a floor on a manual clock and records what a monitor would see (minus the random req_id). */
function runFloor(seed: string, minutes: number): string[] {
  const clock = new ManualClock();
  const stats = new SimStats();
  const hub = new ChannelHub(stats);
  const seen: string[] = [];
  const monitor: TChannel = {
    companyCode: "90001",
    agentId: "90001_monitor",
    os: "monitor",
    kind: "ws",
    session: undefined,
    kickedOff: false,
    deliver: (m: WireRecord) => {
      seen.push(
        [
          m.timestamp,
          m.agent_id,
          m.last_agent_status,
          m.agent_status,
          m.sub_agent_status ?? "",
          m.uuid ?? "",
          String(m.in_call_numbers),
        ].join(" "),
      );
    },
  };
  hub.addMonitor(monitor);
  const options = resolveSimOptions({
    seed,
    companies: ["90001"],
    agentsPerCompany: 40,
    callRatePerMinute: 20,
  });
  const floor = new SimFloor(options, clock, hub, stats);
  for (let i = 0; i < minutes * 6; i++) clock.advance(10_000);
  floor.dispose();
  return seen;
}

describe("same seed, same floor", () => {
  it("builds the same agents, names, skills and roles from the same seed", () => {
    const a = buildCompany("s1", "90001", 50, 0);
    const b = buildCompany("s1", "90001", 50, 0);
    const c = buildCompany("s2", "90001", 50, 0);
    const names = (x: typeof a) =>
      x.roster.map(
        (agent) => `${agent.agentId}:${agent.name}:${agent.skills.join("+")}:${agent.role}`,
      );
    expect(names(a)).toEqual(names(b));
    expect(names(a)).not.toEqual(names(c));
    expect(a.roster.map((x) => x.agentId).slice(0, 5)).toEqual([
      "90001_20000",
      "90001_20001",
      "90001_20002",
      "90001_20003",
      "90001_20004",
    ]);
    expect(a.agents.get("90001_20004")?.role).toBe("supervisor");
    expect(a.agents.get("90001_40001")?.role).toBe("agent");
  });

  it("plays the same sequence of agent changes from the same seed, and another from another seed", () => {
    const first = runFloor("floor-a", 20);
    const again = runFloor("floor-a", 20);
    const other = runFloor("floor-b", 20);
    expect(first.length).toBeGreaterThan(100);
    expect(first.some((line) => line.includes(" CALLING "))).toBe(true);
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });
});
