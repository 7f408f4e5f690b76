import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import readline from "node:readline";

export interface TSimProcess {
  port: number;
  controlPort: number;
  child: ChildProcess;
  /** SIGKILL: the CTI vanishes without a close frame, as a crashed server does. */
  kill(): Promise<void>;
}

/**
 * The real simulator as its own process (`server/sim/main.ts`), so a test can kill it the hard
 * way and start it again on the same port. Resolves on its `sim:listening` line.
 */
export function startSim(env: Record<string, string>): Promise<TSimProcess> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(process.cwd(), "server/sim/main.ts")],
    {
      env: {
        ...process.env,
        SIM_PORT: "0",
        SIM_CONTROL_PORT: "0",
        SIM_SEED: "floor-it",
        LOG_LEVEL: "silent",
        ...env,
      },
      stdio: ["ignore", "pipe", "ignore"],
    },
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("simulator did not start")), 20_000);
    child.once("exit", (code) => reject(new Error(`simulator exited with ${code}`)));
    readline.createInterface({ input: child.stdout! }).on("line", (line) => {
      if (!line.includes('"sim:listening"')) return;
      const ready = JSON.parse(line) as { port: number; controlPort: number };
      clearTimeout(timer);
      child.removeAllListeners("exit");
      resolve({
        port: ready.port,
        controlPort: ready.controlPort,
        child,
        kill: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGKILL");
          }),
      });
    });
  });
}

export interface TTruthAgent {
  agent_id: string;
  status: string;
  sub_status: string | null;
  status_time: number;
  uuid: string | null;
  in_call_numbers: string[];
  skills: string[];
  role: string;
}

export async function control<T>(
  sim: { controlPort: number },
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`http://127.0.0.1:${sim.controlPort}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export async function truthAgents(
  sim: { controlPort: number },
  companyCode: string,
): Promise<TTruthAgent[]> {
  const body = await control<{ agents: TTruthAgent[] }>(
    sim,
    `/control/agents?company_code=${companyCode}`,
  );
  return body.agents;
}
