import { once } from "node:events";
import { Socket, type AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { WebSocketServer } from "ws";
import { CtiChannel } from "@/server/cti/channel";

/**
 * The poller sends its get_status requests in bursts (one per pacing tick). The channel corks
 * its TCP socket for the rest of the synchronous run, so a burst leaves in one write instead of
 * one syscall per request (the largest cost of the poll path in the bench:floor profile).
 */
describe("CtiChannel request bursts", () => {
  let server: WebSocketServer | undefined;
  let channel: CtiChannel | undefined;

  afterEach(async () => {
    vi.restoreAllMocks();
    await channel?.stop();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  it("sends a burst of requests in one TCP write and resolves every one", async () => {
    server = new WebSocketServer({ port: 0, host: "127.0.0.1" });
    await once(server, "listening");
    let frames = 0;
    server.on("connection", (ws) => {
      ws.send(JSON.stringify({ msg_type: "connect", code: "0" }));
      ws.on("message", (data) => {
        const frame = JSON.parse(data.toString()) as {
          req_id: string;
          msg_type: string;
          agent_id?: string;
        };
        if (frame.msg_type !== "get_status") return;
        frames += 1;
        ws.send(
          JSON.stringify({
            req_id: frame.req_id,
            msg_type: "get_status",
            code: "0",
            agent_id: frame.agent_id,
          }),
        );
      });
    });
    const port = (server.address() as AddressInfo).port;
    channel = new CtiChannel({
      baseUrl: `ws://127.0.0.1:${port}`,
      handshake: { agent_id: "90001_monitor", company_code: "90001", os: "monitor" },
    });
    const up = once(channel, "state");
    channel.start();
    await up;
    while (channel.status.state !== "up") await once(channel, "state");
    // Count the writes the channel's TCP socket hands to the kernel (server and client share
    // this process, so what the server reads says nothing: the burst is all queued before it reads).
    let writes = 0;
    const proto = Socket.prototype as unknown as Record<
      "_write" | "_writev",
      (...args: unknown[]) => unknown
    >;
    for (const method of ["_write", "_writev"] as const) {
      const original = proto[method];
      vi.spyOn(proto, method).mockImplementation(function (this: Socket, ...args: unknown[]) {
        if (this.remotePort === port) writes += 1;
        return original.apply(this, args);
      });
    }

    const burst = Array.from({ length: 50 }, (_, i) =>
      channel!.request("get_status", { agent_id: `90001_${20000 + i}` }),
    );
    const answers = await Promise.all(burst);

    expect(frames).toBe(50);
    expect(answers.map((a) => a.agent_id)).toEqual(
      Array.from({ length: 50 }, (_, i) => `90001_${20000 + i}`),
    );
    // One write for the burst (one per request before: 50).
    expect(writes).toBe(1);
    expect(channel.inFlight).toBe(0);
  });
});
