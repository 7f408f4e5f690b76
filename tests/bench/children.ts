/**
 * The child processes of a bench: started here, tracked, and ended by their own ids whatever
 * happens (a deadline, an error, Ctrl-C). Their stdout goes to our stderr, so the bench's stdout
 * carries its JSON report alone.
 */
import { fork, spawn, type ChildProcess } from "node:child_process";
import readline from "node:readline";
import type { z } from "zod";

const children = new Set<ChildProcess>();
/** Children started as leaders of their own process group (they start workers of their own). */
const groupLeaders = new Set<ChildProcess>();

function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

function track(child: ChildProcess, group: boolean): ChildProcess {
  children.add(child);
  if (group) groupLeaders.add(child);
  child.once("exit", () => {
    children.delete(child);
    groupLeaders.delete(child);
  });
  return child;
}

/** SIGKILLs every child still running (a process group for group leaders): the last resort. */
export function killChildren(): void {
  for (const child of children) {
    if (!alive(child) || child.pid === undefined) continue;
    try {
      if (groupLeaders.has(child)) process.kill(-child.pid, "SIGKILL");
      else child.kill("SIGKILL");
    } catch {
      // Already gone.
    }
  }
}

/** SIGTERM (a child started with --cpu-prof then writes its profile), SIGKILL after 5 s. */
export async function stopChildren(): Promise<void> {
  await Promise.all(
    [...children].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (!alive(child)) return resolve();
          const timer = setTimeout(() => {
            child.kill("SIGKILL");
            resolve();
          }, 5000);
          child.once("exit", () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill("SIGTERM");
        }),
    ),
  );
}

/** Runs `node <args>` to completion (its output on stderr); `group`: in its own process group. */
export function runNode(args: string[], label: string, group = false): Promise<void> {
  const child = track(
    spawn(process.execPath, args, {
      stdio: ["ignore", 2, 2],
      env: { NEXT_TELEMETRY_DISABLED: "1", ...process.env },
      detached: group,
    }),
    group,
  );
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`${label} failed (code ${code}, signal ${signal})`)),
    );
  });
}

/** A `ready` for spawnUntilLine: the first stdout line that is JSON `schema` accepts. */
export function jsonLine<T>(schema: z.ZodType<T>): (line: string) => T | undefined {
  return (line) => {
    try {
      const parsed = schema.safeParse(JSON.parse(line));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  };
}

/** Starts `node <args>` and resolves with the first stdout line `ready` accepts. */
export function spawnUntilLine<T>(
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: (line: string) => T | undefined,
  timeoutMs: number,
): Promise<{ child: ChildProcess; value: T }> {
  // stdin is a pipe the child may watch: it closes when this process dies, even by SIGKILL.
  const child = track(spawn(process.execPath, args, { env, stdio: ["pipe", "pipe", 2] }), false);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.at(-1)} did not start`)), timeoutMs);
    child.once("exit", (code) => reject(new Error(`${args.at(-1)} exited (code ${code})`)));
    readline.createInterface({ input: child.stdout! }).on("line", (line) => {
      const value = ready(line);
      if (value === undefined) return void process.stderr.write(`${line}\n`);
      clearTimeout(timer);
      resolve({ child, value });
    });
  });
}

/** Forks a TypeScript module with an IPC channel; its stdout and stderr go to our stderr. */
export function forkModule(
  modulePath: string,
  execArgv: string[],
  env: NodeJS.ProcessEnv,
): ChildProcess {
  return track(fork(modulePath, { execArgv, env, stdio: ["ignore", 2, 2, "ipc"] }), false);
}

/** The next message of a forked child, parsed with `schema`. */
export function nextMessage<T>(
  child: ChildProcess,
  schema: z.ZodType<T>,
  timeoutMs: number,
  what = "a message",
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off("message", onMessage);
      reject(new Error(`no answer to ${what} within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (reply: unknown) => {
      clearTimeout(timer);
      const parsed = schema.safeParse(reply);
      if (parsed.success) resolve(parsed.data);
      else reject(new Error(`unexpected answer to ${what}: ${parsed.error.message}`));
    };
    child.once("message", onMessage);
  });
}

/** Sends `message` to a forked child and parses its next message with `schema`. */
export function ask<T>(
  child: ChildProcess,
  message: object,
  schema: z.ZodType<T>,
  timeoutMs: number,
): Promise<T> {
  const answer = nextMessage(child, schema, timeoutMs, JSON.stringify(message));
  child.send(message);
  return answer;
}
