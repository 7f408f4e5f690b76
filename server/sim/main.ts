import { loadSimOptions, SimConfigError } from "./config";
import { createSimulator } from "./index";
import { logEvent } from "./log";

/**
 * `npm run sim`: the simulator as its own process. The dashboard launches it as a child and
 * waits for the one JSON line this prints on stdout once both ports listen.
 */
async function main(): Promise<void> {
  let options;
  try {
    options = loadSimOptions();
  } catch (error) {
    if (!(error instanceof SimConfigError)) throw error;
    logEvent("sim:config-invalid", { issues: error.issues });
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  const sim = await createSimulator(options);
  process.stdout.write(
    `${JSON.stringify({
      event: "sim:listening",
      port: sim.port,
      controlPort: sim.controlPort,
      companies: sim.options.companies,
      agents: sim.options.agentsPerCompany,
    })}\n`,
  );
  logEvent("sim:started", {
    host: sim.options.host,
    seed: sim.options.seed,
    callRatePerMinute: sim.options.callRatePerMinute,
  });
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logEvent("sim:stopping", { signal });
    void sim.close().then(() => process.exit(0));
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  if (process.env.SIM_EXIT_WITH_PARENT === "1") {
    // Launched by the dashboard with a pipe on stdin: the pipe closes when the dashboard dies,
    // even by SIGKILL, and an orphaned simulator would keep the port.
    process.stdin.on("close", () => shutdown("parent-gone"));
    process.stdin.resume();
  }
}

main().catch((error: unknown) => {
  logEvent("sim:failed", { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
