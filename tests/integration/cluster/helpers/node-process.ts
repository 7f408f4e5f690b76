import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

/** A node in its own process (helpers/node-child.ts), driven over IPC. */
export interface TNodeProcess {
  nodeId: string;
  port: number;
  url: string;
  call<T>(cmd: string, args?: unknown): Promise<T>;
  /** SIGKILL: the node vanishes without unlinking anything, as a crashed server does. */
  kill(): Promise<void>;
  /** A clean stop (seats unlinked), then the process exits. */
  stop(): Promise<void>;
}

export async function startNodeProcess(env: Record<string, string>): Promise<TNodeProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      "--import",
      "./server/runtime.mjs",
      path.join("tests/integration/cluster/helpers/node-child.ts"),
    ],
    { env: { ...process.env, ...env }, stdio: ["ignore", "inherit", "inherit", "ipc"] },
  );
  let next = 1;
  const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let exited = false;
  child.on("message", (message: { id: number; ok: boolean; value?: unknown; error?: string }) => {
    const waiter = waiting.get(message.id);
    if (!waiter) return;
    waiting.delete(message.id);
    if (message.ok) waiter.resolve(message.value);
    else waiter.reject(new Error(message.error));
  });
  child.on("exit", (code, signal) => {
    exited = true;
    for (const waiter of waiting.values())
      waiter.reject(new Error(`node ${env.NODE_ID} exited (${code ?? signal})`));
    waiting.clear();
  });
  const call = <T>(cmd: string, args?: unknown): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (exited) return reject(new Error(`node ${env.NODE_ID} is not running`));
      const id = next++;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, cmd, args });
    });
  // `started` (id 0) once the app listens.
  await new Promise<void>((resolve, reject) => {
    waiting.set(0, { resolve: () => resolve(), reject });
    setTimeout(() => reject(new Error(`node ${env.NODE_ID} did not start`)), 60_000).unref();
  });
  const { port, nodeId } = await call<{ port: number; nodeId: string }>("ready");
  const exit = () =>
    new Promise<void>((resolve) => {
      if (exited) return resolve();
      child.once("exit", () => resolve());
    });
  return {
    nodeId,
    port,
    url: `http://127.0.0.1:${port}`,
    call,
    async kill() {
      const done = exit();
      child.kill("SIGKILL");
      await done;
    },
    async stop() {
      const done = exit();
      await call("stop").catch(() => undefined);
      await done;
    },
  };
}
