import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RELAY_MESSAGE_MAX_CHARS, type TRelayRequest } from "@/server/interventions/relay-messages";
import { SeatDirectory } from "@/server/interventions/seat-directory";
import { SeatRelay } from "@/server/interventions/seat-relay";
import type { RedisConnection } from "@/server/redis/connection";
import { testRedis } from "../helpers/redis";

const log = pino({ level: "silent" });
const VIEW = { state: "linked" as const, since: 1, agentId: "97001_20004", agentStatus: "FREE" };
const STATUS: Extract<TRelayRequest, { kind: "seat-status" }> = {
  kind: "seat-status",
  ownerId: "u-1",
  status: "BUSY",
};

/**
 * [REDIS] The seat relay and directory between two nodes: messages from another node are
 * size-capped and validated (it may run another version), an unanswered request fails instead
 * of waiting, a dead node is told apart from a slow one, and a gone seat is reaped once.
 */
describe("[REDIS] seat relay and directory", () => {
  let redis: Awaited<ReturnType<typeof testRedis>>;
  let nodeA: RedisConnection;
  let nodeB: RedisConnection;
  let a: SeatRelay;
  let b: SeatRelay;
  const handled: TRelayRequest[] = [];
  let answer: (request: TRelayRequest) => Promise<unknown> = async () => null;

  beforeAll(async () => {
    redis = await testRedis("relay");
    nodeA = await redis.connect("node-a");
    nodeB = await redis.connect("node-b");
    a = new SeatRelay(nodeA, { timeoutMs: 500, log, handle: async () => null });
    b = new SeatRelay(nodeB, {
      timeoutMs: 500,
      log,
      handle: (request) => {
        handled.push(request);
        return answer(request);
      },
    });
    await Promise.all([a.start(), b.start()]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.cleanup();
  });

  it("a request reaches the other node and its reply comes back validated", async () => {
    answer = async () => ({ ok: true, data: { ...VIEW, agentStatus: "BUSY" } });
    expect(await a.call("node-b", STATUS)).toEqual({
      ok: true,
      value: { ok: true, data: { ...VIEW, agentStatus: "BUSY" } },
    });
    expect(handled.at(-1)).toEqual(STATUS);
  });

  it("a reply that does not fit its schema is not believed", async () => {
    answer = async () => ({ ok: true, data: { state: "teleported" } });
    expect(await a.call("node-b", STATUS)).toEqual({ ok: false, failure: "unsupported" });
  });

  it("a request of another version or kind is answered 'unsupported' at once, never handled", async () => {
    const count = handled.length;
    // A node of another version: it sends what this version does not know, and listens.
    const probe = await nodeA.subscriber("probe");
    let resolveReply: (message: string) => void = () => {};
    await probe.subscribe(nodeA.key("seats", "relay", "probe"), (message) => resolveReply(message));
    const raw = async (body: object, v: number) => {
      const started = Date.now();
      const reply = new Promise<string>((resolve) => (resolveReply = resolve));
      await nodeA.client.publish(
        nodeA.key("seats", "relay", "node-b"),
        JSON.stringify({ v, type: "request", id: crypto.randomUUID(), from: "probe", body }),
      );
      return { reply: JSON.parse(await reply) as { status: string }, ms: Date.now() - started };
    };
    const newer = await raw(STATUS, 2);
    expect(newer.reply.status).toBe("unsupported");
    const unknown = await raw({ kind: "seat-teleport", ownerId: "u-1" }, 1);
    expect(unknown.reply.status).toBe("unsupported");
    expect(Math.max(newer.ms, unknown.ms)).toBeLessThan(400);
    expect(handled.length).toBe(count);
    await probe.close();
  });

  it("an oversized message is dropped unread, however valid", async () => {
    const count = handled.length;
    const request: TRelayRequest = {
      kind: "intervention",
      operation: "interrupt_call",
      viewer: {
        kind: "user",
        id: "u-1",
        name: "x".repeat(RELAY_MESSAGE_MAX_CHARS),
        role: "supervisor",
        companies: ["97001"],
      },
      input: {
        companyCode: "97001",
        targetAgentId: "97001_20001",
        callUuid: "c-1",
        reason: "",
        idempotencyKey: crypto.randomUUID(),
      },
      meta: { ip: null, userAgent: null },
    };
    const body = JSON.stringify({
      v: 1,
      type: "request",
      id: crypto.randomUUID(),
      from: "node-a",
      body: request,
    });
    await nodeA.client.publish(nodeA.key("seats", "relay", "node-b"), body);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(handled.length).toBe(count);
  });

  it("no listener: 'gone' after a few tries; a listener that does not answer: 'timeout'", async () => {
    const started = Date.now();
    expect(await a.call("node-nobody", STATUS)).toEqual({ ok: false, failure: "gone" });
    expect(Date.now() - started).toBeLessThan(1500);
    answer = () => new Promise(() => {});
    expect(await a.call("node-b", STATUS)).toEqual({ ok: false, failure: "timeout" });
  });

  it("the directory: live while refreshed, gone once its record expires, reaped by exactly one node", async () => {
    const onA = new SeatDirectory(nodeA, 300);
    const onB = new SeatDirectory(nodeB, 300);
    const entry = { companyCode: "97001", agentId: "97001_20004" };
    expect(await onB.lookup("u-dir")).toEqual({ state: "none" });
    await onA.claim("u-dir", entry, VIEW);
    expect(await onB.lookup("u-dir")).toEqual({
      state: "live",
      entry: { ...entry, node: "node-a" },
      view: VIEW,
    });
    // Only the holder refreshes it; B's refresh of A's seat writes nothing.
    await onB.refresh("u-dir", entry, { ...VIEW, agentStatus: "BUSY" });
    expect(await onB.lookup("u-dir")).toMatchObject({ view: { agentStatus: "FREE" } });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await onB.lookup("u-dir")).toEqual({
      state: "gone",
      entry: { ...entry, node: "node-a" },
    });
    expect(await onB.gone()).toEqual([{ ownerId: "u-dir", entry: { ...entry, node: "node-a" } }]);
    const reaped = await Promise.all([onA.reap("u-dir", "node-a"), onB.reap("u-dir", "node-a")]);
    expect(reaped.filter((r) => r !== undefined)).toHaveLength(1);
    expect(await onB.lookup("u-dir")).toEqual({ state: "none" });
  });

  it("a seat still refreshed is never reaped", async () => {
    const onA = new SeatDirectory(nodeA, 5000);
    const onB = new SeatDirectory(nodeB, 5000);
    await onA.claim("u-live", { companyCode: "97001", agentId: "97001_20029" }, VIEW);
    expect(await onB.reap("u-live", "node-a")).toBeUndefined();
    expect(await onB.gone()).toEqual([]);
    await onA.release("u-live");
    expect(await onB.lookup("u-live")).toEqual({ state: "none" });
  });
});
