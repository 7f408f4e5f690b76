/**
 * bench:interventions's child processes: each started here is tracked and ended by its own id
 * (a deadline, an error, Ctrl-C). A child's stdout is captured (the figures it prints); its
 * stderr is ours, so the bench's stdout carries its JSON report alone.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

const children = new Set<ChildProcess>();

/** SIGKILLs every child still running: the last resort at the deadline or on an error. */
export function killAll(): void {
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    try {
      child.kill("SIGKILL");
    } catch {
      // Already gone.
    }
  }
}

export interface TRunResult {
  code: number | null;
  stdout: string;
  seconds: number;
}

/**
 * Runs `node <args>` (cwd: the repository) with `env` added to ours, to its end; resolves with
 * its exit code, its stdout and its wall time. Rejects when it could not start or ran past
 * `timeoutMs` (then it is killed).
 */
export function runNode(
  args: string[],
  env: Record<string, string>,
  timeoutMs: number,
): Promise<TRunResult> {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env },
    stdio: ["ignore", "pipe", 2],
  });
  children.add(child);
  let stdout = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${args.join(" ")} ran past ${timeoutMs} ms`));
    }, timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, stdout, seconds: (performance.now() - started) / 1000 });
    });
  });
}

/** `node --import ./server/runtime.mjs <file>` arguments (tsx, `server-only` resolved empty). */
export function tsArgs(file: string, ...rest: string[]): string[] {
  return ["--import", "./server/runtime.mjs", path.join(process.cwd(), file), ...rest];
}

/** Migrates the SQLite database at `databaseUrl` (prisma migrate deploy). */
export async function migrate(databaseUrl: string): Promise<void> {
  const prisma = path.join(process.cwd(), "node_modules", "prisma", "build", "index.js");
  const result = await runNode(
    [prisma, "migrate", "deploy"],
    { DATABASE_URL: databaseUrl },
    120_000,
  );
  if (result.code !== 0) throw new Error(`prisma migrate deploy failed (code ${result.code})`);
}

/** The last line of `stdout` that parses as a JSON object, or undefined. */
export function lastJson(stdout: string): Record<string, unknown> | undefined {
  const lines = stdout.trim().split("\n").reverse();
  for (const line of lines) {
    try {
      const value: unknown = JSON.parse(line);
      if (typeof value === "object" && value !== null) return value as Record<string, unknown>;
    } catch {
      // Not JSON.
    }
  }
  // A pretty-printed report (several lines): the whole of stdout.
  try {
    return JSON.parse(stdout) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** The simulator as its own process, on ports of its choosing; it dies with us (stdin pipe). */
export function startSimulator(
  env: Record<string, string>,
): Promise<{ port: number; controlPort: number }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(process.cwd(), "server/sim/main.ts")],
    {
      env: {
        ...process.env,
        SIM_PORT: "0",
        SIM_CONTROL_PORT: "0",
        SIM_HOST: "127.0.0.1",
        SIM_EXIT_WITH_PARENT: "1",
        LOG_LEVEL: "warn",
        ...env,
      },
      stdio: ["pipe", "pipe", 2],
    },
  );
  children.add(child);
  child.once("exit", () => children.delete(child));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the simulator did not start")), 60_000);
    child.once("exit", (code) => reject(new Error(`the simulator exited (code ${code})`)));
    let buffer = "";
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (!line.includes('"sim:listening"')) {
          process.stderr.write(`${line}\n`);
          continue;
        }
        const ready = JSON.parse(line) as { port: number; controlPort: number };
        clearTimeout(timer);
        resolve({ port: ready.port, controlPort: ready.controlPort });
      }
    });
  });
}
