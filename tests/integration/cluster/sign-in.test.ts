import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TViewer } from "@/lib/auth/viewer";
import type { TSeatView } from "@/lib/interventions/types";
import type { TServiceResult } from "@/server/action-client";
import { migratedTempDatabase } from "../helpers/database";
import { testRedis } from "../helpers/redis";
import { startSim, truthAgents, type TSimProcess } from "../floor/helpers/sim";
import { startNodeProcess, type TNodeProcess } from "./helpers/node-process";

const COMPANY = "97201";
const PASSWORD = "cluster-password-1";

/**
 * [CLUSTER] Three nodes, each in its own process (its own memory), on one Redis: the sign-in
 * limits count every node's failures together, exactly as one node counts its own, and
 * signing out on one node checks the supervisor's seat out on the node that holds it.
 */
describe("[CLUSTER] sign-in across nodes", () => {
  let sim: TSimProcess;
  let redis: Awaited<ReturnType<typeof testRedis>>;
  let nodes: TNodeProcess[] = [];

  beforeAll(async () => {
    redis = await testRedis("cluster-sign-in");
    sim = await startSim({ SIM_COMPANIES: COMPANY, SIM_AGENTS: "30", SIM_CALL_RATE: "0" });
    const env = {
      REDIS_URL: redis.url,
      REDIS_PREFIX: redis.prefix,
      CTI_PORT: String(sim.port),
      COMPANIES: COMPANY,
      DATABASE_URL: migratedTempDatabase("fw-cluster-"),
      AUTH_SECRET: "integration-test-secret-0123456789abcdef",
      LOG_LEVEL: "silent",
      AUTH_MAX_FAILED_LOGINS: "5",
      AUTH_LOCKOUT_MINUTES: "15",
      AUTH_ACCOUNT_MAX_FAILURES: "100",
      AUTH_IP_MAX_FAILURES: "8",
      AUTH_IP_WINDOW_MINUTES: "15",
    };
    nodes = await Promise.all(
      ["node-a", "node-b", "node-c"].map((name) => startNodeProcess({ ...env, NODE_ID: name })),
    );
    await nodes[0]!.call("insertUser", { username: "dana", password: PASSWORD, company: COMPANY });
    await nodes[0]!.call("insertUser", {
      username: "sam",
      password: PASSWORD,
      company: COMPANY,
      agent: `${COMPANY}_20004`,
    });
  }, 120_000);
  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    await sim?.kill();
    await redis?.cleanup();
  });

  const attempt = (node: TNodeProcess, username: string, password: string, ip: string) =>
    node.call<{ code: string; cookie?: string; viewer?: TViewer }>("signIn", {
      username,
      password,
      ip,
    });

  it("wrong passwords spread over three nodes lock the account as five on one node would", async () => {
    const codes: string[] = [];
    for (let i = 0; i < 7; i += 1)
      codes.push((await attempt(nodes[i % 3]!, "dana", "wrong-password", "10.7.0.1")).code);
    // Four refusals, the fifth failure locks (answered account_locked), the rest stay locked.
    expect(codes).toEqual([
      ...Array(4).fill("invalid_credentials"),
      ...Array(3).fill("account_locked"),
    ]);
    // Even the right password, from that address, on any node.
    expect((await attempt(nodes[2]!, "dana", PASSWORD, "10.7.0.1")).code).toBe("account_locked");
    expect((await attempt(nodes[1]!, "dana", PASSWORD, "10.7.0.2")).code).toBe("ok");
  });

  it("an address's failures on every node count against its one limit", async () => {
    const codes: string[] = [];
    for (let i = 0; i < 11; i += 1)
      codes.push((await attempt(nodes[i % 3]!, `nobody-${i}`, "wrong-password", "10.7.1.1")).code);
    expect(codes).toEqual([
      ...Array(8).fill("invalid_credentials"),
      ...Array(3).fill("rate_limited"),
    ]);
  });

  it("signing out on node B checks the seat out on node A", async () => {
    const signedIn = await attempt(nodes[1]!, "sam", PASSWORD, "10.7.2.1");
    expect(signedIn.code).toBe("ok");
    const viewer = signedIn.viewer!;
    const linked = await nodes[0]!.call<TServiceResult<TSeatView>>("link", {
      viewer,
      password: "Aa123321.",
    });
    expect(linked).toMatchObject({ ok: true, data: { state: "linked" } });
    const agent = async () =>
      (await truthAgents(sim, COMPANY)).find((a) => a.agent_id === `${COMPANY}_20004`)?.status;
    expect(await agent()).not.toBe("OFFLINE");

    expect(await nodes[1]!.call("signOut", { cookie: signedIn.cookie, ip: "10.7.2.1" })).toBe(
      viewer.id,
    );
    expect(await nodes[0]!.call<TSeatView>("current", { ownerId: viewer.id })).toMatchObject({
      state: "unlinked",
    });
    expect(await nodes[2]!.call<TSeatView>("current", { ownerId: viewer.id })).toMatchObject({
      state: "unlinked",
    });
    expect(await agent()).toBe("OFFLINE");
  });
});
