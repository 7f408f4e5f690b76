import "server-only";
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import readline from "node:readline";
import type { Logger } from "pino";
import { z } from "zod";

const ZReadyLine = z.object({
  event: z.literal("sim:listening"),
  port: z.number().int(),
  controlPort: z.number().int(),
  companies: z.array(z.string()),
});

export interface EmbeddedCti {
  port: number;
  companies: string[];
  stop(): Promise<void>;
}

/**
 * Starts the simulator as a child process (it is a network peer, never imported) and resolves
 * once it prints its ready line. Its stderr logs are passed through.
 */
export function startEmbeddedCti(
  env: NodeJS.ProcessEnv,
  log: Logger,
  timeoutMs = 30_000,
): Promise<EmbeddedCti> {
  const entry = path.join(process.cwd(), "server", "sim", "main.ts");
  const child = spawn(process.execPath, ["--import", "tsx", entry], {
    env: { ...env, SIM_EXIT_WITH_PARENT: "1" },
    stdio: ["pipe", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGTERM");
      reject(new Error(`simulator did not start within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`simulator exited before it was ready (code ${code}, signal ${signal})`));
    });
    readline.createInterface({ input: child.stdout! }).on("line", (line) => {
      const ready = parseReady(line);
      if (!ready) {
        log.info({ sim: line }, "simulator output");
        return;
      }
      clearTimeout(timer);
      child.removeAllListeners("exit");
      child.once("exit", (code, signal) => log.warn({ code, signal }, "simulator exited"));
      log.info(
        { port: ready.port, controlPort: ready.controlPort, companies: ready.companies },
        "embedded simulator ready",
      );
      resolve({ port: ready.port, companies: ready.companies, stop: () => stopChild(child) });
    });
  });
}

function parseReady(line: string): z.infer<typeof ZReadyLine> | undefined {
  try {
    const parsed = ZReadyLine.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
