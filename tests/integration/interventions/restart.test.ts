import { spawn } from "node:child_process";
import path from "node:path";
import readline from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migratedTempDatabase } from "../helpers/database";
import { control, startSim, truthAgents, type TSimProcess } from "../floor/helpers/sim";

const COMPANY = "96001";
const TARGET = `${COMPANY}_20001`;

/**
 * [INTERVENTIONS] A server killed with SIGKILL between REQUESTED and the outcome: after the
 * restart its intervention shows INTERRUPTED (it never vanishes), and the seat it held is
 * recorded as lost to the restart.
 */
describe("[INTERVENTIONS] kill -9 in the middle of an intervention", () => {
  let sim: TSimProcess;
  const url = migratedTempDatabase("fw-crash-");

  beforeAll(async () => {
    process.env.DATABASE_URL = url;
    sim = await startSim({ SIM_COMPANIES: COMPANY, SIM_AGENTS: "40", SIM_CALL_RATE: "0" });
  });
  afterAll(async () => {
    await sim?.kill();
  });

  it("leaves the intervention INTERRUPTED after restart", async () => {
    await control(sim, "/control/scenario", {
      company_code: COMPANY,
      agents: [{ agent_id: TARGET, status: "CALLING", customer_number: "13912345678" }],
    });
    const callUuid = (await truthAgents(sim, COMPANY)).find((a) => a.agent_id === TARGET)!.uuid!;
    // The CTI takes the request and never answers: the server is caught between the two.
    await control(sim, "/control/faults", { msg_type: "interrupt_call", code: "0", silent: true });
    const child = spawn(
      process.execPath,
      [
        "--import",
        "./server/runtime.mjs",
        path.join("tests/integration/interventions/crash-child.ts"),
      ],
      {
        env: {
          ...process.env,
          DATABASE_URL: url,
          CTI_PORT: String(sim.port),
          COMPANY,
          TARGET,
          CALL_UUID: callUuid,
          SUPERVISOR_AGENT: `${COMPANY}_20004`,
        },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    await new Promise<void>((resolve, reject) => {
      child.once("exit", (code) => reject(new Error(`child exited early with ${code}`)));
      readline.createInterface({ input: child.stdout! }).on("line", (line) => {
        if (line.includes('"sent"')) resolve();
      });
    });
    child.removeAllListeners("exit");
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;

    const { startTestApp } = await import("../helpers/app");
    const app = await startTestApp({ ctiPort: sim.port, companies: [COMPANY] });
    try {
      const rows = await app.services.db.intervention.findMany();
      expect(rows).toMatchObject([{ stage: "interrupted", outcome: "interrupted", callUuid }]);
      const view = await app.services.interventions.records.view(rows[0]!.id);
      expect(view?.timeline.map((t) => t.stage)).toEqual(["requested", "sent", "interrupted"]);
      expect(view?.timeline.at(-1)?.detail).toBe("sent");
      const unlinked = await app.services.db.auditEvent.findMany({
        where: { type: "seat.unlinked" },
      });
      expect(unlinked.map((e) => JSON.parse(e.data))).toEqual([
        { agentId: `${COMPANY}_20004`, reason: "restart" },
      ]);
      expect(app.services.interventions.seats.view("u-crash")).toMatchObject({
        state: "unlinked",
        reason: "restart",
      });
    } finally {
      await app.stop();
    }
  }, 60_000);
});
