import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZHealth, type THealth } from "@/lib/health";
import { freePorts } from "../../helpers/free-port";
import { emptyPostgresDatabase, onPostgres } from "../helpers/postgres";

/**
 * `npm start` end to end, as an operator runs it: the dashboard builds if it must, starts the
 * embedded simulator, serves health, and stops both on SIGTERM. A free port and a fresh
 * database per run: a second run on the machine must not meet this one. On PostgreSQL the
 * database is empty: the start migrates it, health reports it reachable, and the password in
 * DATABASE_URL never reaches the logs (the test server trusts local users, so any password
 * connects).
 */
const PASSWORD = "start-test-secret-5f2a";
let PORT: number;
let dataDir: string;
let child: ChildProcess;
let output = "";

async function health(cookie = ""): Promise<THealth | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${PORT}/api/health`, { headers: { cookie } });
    if (!response.ok) return undefined;
    return ZHealth.parse(await response.json());
  } catch {
    return undefined;
  }
}

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out; server output:\n${output.slice(-3000)}`);
}

function simulatorPid(): Promise<number | undefined> {
  return new Promise((resolve) => {
    const ps = spawn("ps", ["-o", "pid=,args=", "--ppid", String(child.pid)]);
    let text = "";
    ps.stdout.on("data", (chunk: Buffer) => (text += chunk.toString()));
    ps.on("close", () => {
      const line = text.split("\n").find((l) => l.includes("server/sim/main.ts"));
      resolve(line ? Number.parseInt(line.trim(), 10) : undefined);
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  [PORT] = (await freePorts(1)) as [number];
  dataDir = mkdtempSync(path.join(tmpdir(), "floorwatch-start-"));
  let databaseUrl = `file:${path.join(dataDir, "start.db")}`;
  if (onPostgres) {
    const url = new URL(await emptyPostgresDatabase("start"));
    url.password = PASSWORD;
    databaseUrl = url.toString();
  }
  child = spawn(process.execPath, ["--import", "./server/runtime.mjs", "server/index.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(PORT),
      HOST: "127.0.0.1",
      SIM_PORT: "0",
      SIM_CONTROL_PORT: "0",
      SIM_AGENTS: "60",
      SIM_CALL_RATE: "120",
      DATABASE_URL: databaseUrl,
      // On PostgreSQL the migration's log lines name the database: they must not show the password.
      LOG_LEVEL: onPostgres ? "info" : "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
}, 10_000);

afterAll(() => {
  if (child.exitCode === null) child.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

describe("npm start", () => {
  it("serves health with the CTI link up and the simulated floor moving", async () => {
    const report = await until(async () => {
      const h = await health();
      return h?.cti.state === "up" && h.cti.floorMoving ? h : undefined;
    }, 240_000);
    expect(report.mode).toBe("embedded-simulator");
    expect(report.status).toBe("ok");
    // Anonymous probes learn the state, not the CTI address or the companies.
    expect(report.cti.url).toBeUndefined();
    expect(report.cti.companies).toEqual([]);
    // PostgreSQL deployments report the database's reachability (the state only, anonymously).
    if (onPostgres) expect(report.database).toEqual({ dialect: "postgresql", state: "up" });
    else expect(report.database).toBeUndefined();
    expect(output).toContain(`open http://localhost:${PORT}`);
    if (onPostgres) {
      expect(output).toContain("migrations applied");
      expect(output).not.toContain(PASSWORD);
    }
    // The version names the build it serves: a new deployment changes it (open walls reload).
    const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
    const buildId = readFileSync(".next/BUILD_ID", "utf8").trim();
    expect(report.version).toBe(`${version}+${buildId}`);
  }, 250_000);

  it("shows a signed-in supervisor the links of their own company only", async () => {
    const signIn = await fetch(`http://127.0.0.1:${PORT}/api/auth/sign-in`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: `http://localhost:${PORT}` },
      body: JSON.stringify({ username: "supervisor", password: "floorwatch-demo" }),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const report = await health(cookie);
    expect(report?.cti.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    expect(report?.cti.companies.map((c) => c.companyCode)).toEqual(["90001"]);
    expect(report?.cti.companies[0]?.state).toBe("up");
    if (onPostgres) {
      expect(report?.database).toMatchObject({
        dialect: "postgresql",
        state: "up",
        latencyMs: expect.any(Number),
        checkedAt: expect.any(Number),
      });
    }
  });

  it("stops the dashboard and the simulator cleanly on SIGTERM", async () => {
    const simPid = await simulatorPid();
    expect(simPid).toBeDefined();
    const exited = new Promise<number | null>((resolve) =>
      child.once("exit", (code) => resolve(code)),
    );
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(alive(simPid!)).toBe(false);
    await expect(fetch(`http://127.0.0.1:${PORT}/api/health`)).rejects.toThrow();
  }, 20_000);
});
