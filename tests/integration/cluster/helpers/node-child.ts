/**
 * One Floorwatch node in a process of its own, for the tests that need what only separate
 * processes give: their own process globals (the sign-in limiter, the services the auth code
 * reaches) and a death by SIGKILL. The parent drives it over IPC: `{id, cmd, args}` in,
 * `{id, ok, value | error}` out. Env: CTI_PORT, COMPANIES, REDIS_URL, REDIS_PREFIX, NODE_ID,
 * DATABASE_URL, the auth settings, and TEST_SEAT_DIRECTORY_TTL_MS.
 */
import type { TViewer } from "@/lib/auth/viewer";
import type { TInterventionInput, TOperation } from "@/lib/interventions/types";
import { signIn, signOut } from "@/server/auth/sign-in";
import { insertUser } from "@/server/auth/users";
import { viewerFromHeaders } from "@/server/auth/viewer-lookup";
import { startTestApp } from "../../helpers/app";
import { cookieHeader, requestHeaders } from "../../auth/harness";

const companies = (process.env.COMPANIES ?? "").split(",");
const ttl = Number(process.env.TEST_SEAT_DIRECTORY_TTL_MS ?? 0);
const cluster = ["REDIS_URL", "REDIS_PREFIX", "NODE_ID"].flatMap((name) => {
  const value = process.env[name];
  return value === undefined ? [] : [[name, value] as const];
});
const app = await startTestApp({
  ctiPort: Number(process.env.CTI_PORT),
  companies,
  // startTestApp ignores these in the environment unless given: this node is one of several.
  env: Object.fromEntries(cluster),
  ...(ttl > 0 ? { deps: { seatDirectoryTtlMs: ttl } } : {}),
});
const META = (ip: string) => ({ ip, userAgent: "vitest" });
const { interventions, floor } = app.services;

const commands: Record<string, (args: never) => Promise<unknown>> = {
  async ready() {
    for (const company of companies)
      while (!floor.store(company)?.hasRoster) await new Promise((r) => setTimeout(r, 50));
    return { port: app.port, nodeId: app.services.config.nodeId };
  },
  async insertUser(args: { username: string; password: string; company: string; agent?: string }) {
    return insertUser(
      {
        username: args.username,
        password: args.password,
        role: args.agent ? "supervisor" : "viewer",
        companyCode: args.company,
        allCompanies: false,
        ...(args.agent ? { ctiAgentId: args.agent } : {}),
      },
      { kind: "system" },
      { ip: null, userAgent: null },
    );
  },
  async signIn(args: { username: string; password: string; ip: string }) {
    const result = await signIn(
      { username: args.username, password: args.password },
      requestHeaders({ cookie: "", ip: args.ip }),
      META(args.ip),
    );
    return result.ok
      ? { code: "ok", cookie: cookieHeader(result.data.setCookies), viewer: result.data.viewer }
      : { code: result.code };
  },
  async signOut(args: { cookie: string; ip: string }) {
    const headers = requestHeaders({ cookie: args.cookie, ip: args.ip });
    const viewer = await viewerFromHeaders(headers);
    await signOut(viewer, headers, META(args.ip));
    return viewer?.id ?? null;
  },
  async link(args: { viewer: TViewer; password: string }) {
    return interventions.seats.link(args.viewer, { password: args.password }, META("127.0.0.1"));
  },
  async current(args: { ownerId: string }) {
    return interventions.seats.current(args.ownerId);
  },
  /** The uuid of an agent's call as this node's floor shows it (a replica may lag the leader). */
  async agentUuid(args: { companyCode: string; agentId: string }) {
    return app.services.floor.store(args.companyCode)?.agent(args.agentId)?.uuid ?? null;
  },
  async intervene(args: { operation: TOperation; viewer: TViewer; input: TInterventionInput }) {
    return interventions.pipeline.run(args.operation, args.viewer, args.input, META("127.0.0.1"));
  },
  async stop() {
    await app.stop();
    setImmediate(() => process.exit(0));
    return null;
  },
};

process.on("message", (message: { id: number; cmd: string; args: unknown }) => {
  const command = commands[message.cmd];
  const run = command
    ? command(message.args as never)
    : Promise.reject(new Error(`unknown command ${message.cmd}`));
  run.then(
    (value) => process.send?.({ id: message.id, ok: true, value }),
    (error: unknown) =>
      process.send?.({
        id: message.id,
        ok: false,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }),
  );
});
process.send?.({ id: 0, ok: true, value: "started" });
