import { describe, expect, it } from "vitest";
import { CtiChannel } from "@/server/cti/channel";
import { startQuietSim } from "./helpers/sim-harness";

describe("createSimulator().close()", () => {
  it("finishes while a client keeps reconnecting", async () => {
    const sim = await startQuietSim({ agentsPerCompany: 5 });
    const channel = new CtiChannel({
      baseUrl: `ws://127.0.0.1:${sim.port}`,
      handshake: { company_code: "90001", agent_id: "90001_monitor", os: "monitor" },
      backoffBaseMs: 1,
      backoffCapMs: 2,
    });
    channel.start();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const closed = await Promise.race([
      sim.close().then(() => "closed"),
      new Promise((resolve) => setTimeout(() => resolve("hung"), 5000)),
    ]);
    await channel.stop();
    expect(closed).toBe("closed");
  });
});
