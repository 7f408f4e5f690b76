import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TViewer } from "@/lib/auth/viewer";
import type { TTestApp } from "../helpers/app";
import { startRedisProxy, testRedis } from "../helpers/redis";
import { startSim, type TSimProcess } from "../floor/helpers/sim";
import { waitFor } from "../floor/helpers/wait";
import { connectSocket, nextEvent, startNodes } from "./helpers/nodes";

const COMPANY = "97401";
const viewer = (id: string): TViewer => ({
  kind: "user",
  id,
  name: id,
  role: "supervisor",
  companies: [COMPANY],
});

/**
 * [CLUSTER] One node's connection to Redis drops while Redis and the other nodes go on (node B
 * reaches Redis through a proxy the test cuts). What node A broadcasts meanwhile reaches B's
 * sockets once B is back: B reads the stream on from the last entry it saw. (A pub/sub adapter
 * delivers a message only to the nodes subscribed when it is published.)
 */
describe("[CLUSTER] a node's connection to Redis drops and comes back", () => {
  let sim: TSimProcess;
  let redis: Awaited<ReturnType<typeof testRedis>>;
  let proxy: Awaited<ReturnType<typeof startRedisProxy>>;
  let a: TTestApp, b: TTestApp;

  beforeAll(async () => {
    redis = await testRedis("cluster-blip");
    sim = await startSim({ SIM_COMPANIES: COMPANY, SIM_AGENTS: "20", SIM_CALL_RATE: "0" });
    proxy = await startRedisProxy({ port: Number(new URL(redis.url).port || 6379) });
    a = (
      await startNodes({ names: ["node-a"], ctiPort: sim.port, companies: [COMPANY], redis })
    )[0]!;
    b = (
      await startNodes({
        names: ["node-b"],
        ctiPort: sim.port,
        companies: [COMPANY],
        redis: { url: `redis://127.0.0.1:${proxy.port}`, prefix: redis.prefix },
      })
    )[0]!;
  }, 60_000);
  afterAll(async () => {
    proxy?.restore();
    for (const app of [a, b]) await app?.stop();
    await proxy?.close();
    await sim?.kill();
    await redis?.cleanup();
  });

  it("delivers what was broadcast while node B was cut off, once B is back", async () => {
    const watched = viewer("u-watched-blip");
    const evicted = viewer("u-evicted-blip");
    const onB = await connectSocket(b.url, watched);
    const evictedOnB = await connectSocket(b.url, evicted);
    // Node B in service: it has read the stream.
    const primed = nextEvent(onB, "seat:updated", (s) => s.reason === "before");
    a.services.gateway.publishSeat(watched.id, { state: "unlinked", since: 1, reason: "before" });
    await primed;

    const late = nextEvent(onB, "seat:updated", (s) => s.reason === "while-b-was-away", 20_000);
    const dropped = new Promise<string>((resolve) => evictedOnB.once("disconnect", resolve));
    proxy.cut();
    await waitFor(
      () => b.services.redis?.broadcastClient.isReady,
      (ready) => ready === false,
      { what: "node B's connection down" },
    );
    a.services.gateway.publishSeat(watched.id, {
      state: "unlinked",
      since: 2,
      reason: "while-b-was-away",
    });
    a.services.gateway.evict("user", evicted.id);
    await new Promise((resolve) => setTimeout(resolve, 500));
    proxy.restore();

    expect(await late).toMatchObject({ reason: "while-b-was-away" });
    expect(await dropped).toBe("io server disconnect");
    onB.close();
  });
});
