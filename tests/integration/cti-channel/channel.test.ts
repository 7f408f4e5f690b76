import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer, type WebSocket } from "ws";
import type { AddressInfo } from "node:net";
import { CtiChannel, CtiRequestError, type ChannelStatus } from "@/server/cti/channel";
import { decodeHandshake } from "@/lib/protocol/handshake";

/** A scripted peer: lets a test decide exactly what the CTI answers, including nothing. */
async function scriptedPeer(onFrame: (socket: WebSocket, frame: Record<string, unknown>) => void) {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const handshakes: unknown[] = [];
  server.on("connection", (socket, request) => {
    handshakes.push(decodeHandshake(request.url?.split("/msg/")[1] ?? ""));
    socket.send(JSON.stringify({ msg_type: "connect", code: "0", msg: "ok" }));
    socket.on("message", (data) =>
      onFrame(socket, JSON.parse(data.toString()) as Record<string, unknown>),
    );
  });
  const port = (server.address() as AddressInfo).port;
  return { server, handshakes, url: `ws://127.0.0.1:${port}` };
}

function waitFor(channel: CtiChannel, state: ChannelStatus["state"]): Promise<ChannelStatus> {
  if (channel.status.state === state) return Promise.resolve(channel.status);
  return new Promise((resolve) => {
    const listener = (status: ChannelStatus) => {
      if (status.state !== state) return;
      channel.off("state", listener);
      resolve(status);
    };
    channel.on("state", listener);
  });
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function track(channel: CtiChannel, server: WebSocketServer) {
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  cleanups.push(() => channel.stop());
}

const handshake = { company_code: "90001", agent_id: "90001_monitor", os: "monitor" };

describe("CtiChannel", () => {
  it("presents the handshake, goes up on connect, matches responses by req_id and msg_type", async () => {
    const peer = await scriptedPeer((socket, frame) => {
      // The real server reuses req_ids: answer with a decoy of another msg_type first.
      socket.send(JSON.stringify({ req_id: frame.req_id, msg_type: "hangup", code: "4000" }));
      socket.send(
        JSON.stringify({
          req_id: frame.req_id,
          msg_type: frame.msg_type,
          code: "0",
          status: "FREE",
        }),
      );
    });
    const channel = new CtiChannel({ baseUrl: peer.url, handshake });
    const pushes: unknown[] = [];
    channel.on("push", (frame) => pushes.push(frame));
    track(channel, peer.server);
    channel.start();
    await waitFor(channel, "up");
    expect(peer.handshakes).toEqual([handshake]);
    const response = await channel.request("get_status", { agent_id: "90001_20000" });
    expect(response).toMatchObject({ msg_type: "get_status", code: "0", status: "FREE" });
    // The decoy did not match a pending request: it was dispatched as a push.
    expect(pushes).toEqual([expect.objectContaining({ msg_type: "hangup" })]);
  });

  it("treats a change_status with an unknown req_id as a push", async () => {
    const peer = await scriptedPeer(() => {});
    const channel = new CtiChannel({ baseUrl: peer.url, handshake });
    track(channel, peer.server);
    const pushed = new Promise((resolve) => channel.once("push", resolve));
    channel.start();
    await waitFor(channel, "up");
    for (const socket of peer.server.clients) {
      socket.send(
        JSON.stringify({
          msg_type: " change_status",
          req_id: "random-1",
          code: "0",
          agent_id: "90001_20000",
          agent_status: "RINGING",
        }),
      );
    }
    expect(await pushed).toMatchObject({ msg_type: "change_status", agent_status: "RINGING" });
  });

  it("fails a request with no answer after the timeout, and refuses requests while down", async () => {
    const peer = await scriptedPeer(() => {});
    const channel = new CtiChannel({ baseUrl: peer.url, handshake, requestTimeoutMs: 150 });
    track(channel, peer.server);
    await expect(channel.request("get_status", { agent_id: "90001_20000" })).rejects.toMatchObject({
      kind: "link_down",
    });
    channel.start();
    await waitFor(channel, "up");
    const started = Date.now();
    const error = await channel
      .request("get_status", { agent_id: "90001_20000" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CtiRequestError);
    expect((error as CtiRequestError).kind).toBe("timeout");
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(channel.inFlight).toBe(0);
  });

  it("counts malformed frames and keeps working", async () => {
    const peer = await scriptedPeer((socket, frame) => {
      socket.send("{not json");
      socket.send("[1,2,3]");
      socket.send(JSON.stringify({ code: "0" }));
      socket.send(JSON.stringify({ req_id: frame.req_id, msg_type: frame.msg_type, code: "0" }));
    });
    const channel = new CtiChannel({ baseUrl: peer.url, handshake });
    track(channel, peer.server);
    const reasons: string[] = [];
    channel.on("malformed", ({ reason }) => reasons.push(reason));
    channel.start();
    await waitFor(channel, "up");
    await expect(channel.request("get_status", { agent_id: "90001_20000" })).resolves.toMatchObject(
      { code: "0" },
    );
    expect(reasons).toEqual(["not_json", "not_object", "no msg_type"]);
    expect(channel.status.malformedFrames).toBe(3);
  });

  it("says why it went down, fails pending requests, and reconnects by itself", async () => {
    const peer = await scriptedPeer(() => {});
    const channel = new CtiChannel({
      baseUrl: peer.url,
      handshake,
      backoffBaseMs: 20,
      backoffCapMs: 50,
    });
    track(channel, peer.server);
    channel.start();
    await waitFor(channel, "up");
    const pending = channel
      .request("get_status", { agent_id: "90001_20000" })
      .catch((e: unknown) => e);
    const down = waitFor(channel, "down");
    for (const socket of peer.server.clients) socket.close(4321, "maintenance");
    const status = await down;
    expect(status.reason).toContain("4321 maintenance");
    expect(await pending).toMatchObject({ kind: "link_down" });
    await waitFor(channel, "up");
    expect(channel.status.reconnects).toBeGreaterThanOrEqual(1);
    expect(peer.handshakes).toHaveLength(2);
  });

  it("does not go up when the CTI refuses the connect", async () => {
    const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    server.on("connection", (socket) =>
      socket.send(JSON.stringify({ msg_type: "connect", code: "4008", msg: "company" })),
    );
    const channel = new CtiChannel({
      baseUrl: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
      handshake,
      backoffBaseMs: 1000,
    });
    track(channel, server);
    channel.start();
    const status = await waitFor(channel, "down");
    expect(status.reason).toContain("connect refused");
  });
});
