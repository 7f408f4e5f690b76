import "server-only";
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { closeClient, type RedisConnection, type TRedisClient } from "../redis/connection";
import { shared } from "../state/shared-state-error";
import {
  RELAY_MESSAGE_MAX_CHARS,
  RELAY_REPLIES,
  RELAY_VERSION,
  ZRelayEnvelope,
  ZRelayRequest,
  type TRelayEnvelope,
  type TRelayReply,
  type TRelayRequest,
} from "./relay-messages";

/**
 * Why a request got no answer: `gone`, nobody listens on that node's channel (it stopped);
 * `timeout`, it was delivered but no answer came in time (what it did is unknown);
 * `unsupported`, that node did not understand it (another version); `error`, it failed there.
 */
export type TRelayFailure = "gone" | "timeout" | "unsupported" | "error";

export type TRelayOutcome<K extends TRelayRequest["kind"]> =
  { ok: true; value: TRelayReply<K> } | { ok: false; failure: TRelayFailure };

type TReplyEnvelope = Extract<TRelayEnvelope, { type: "reply" }>;

/** A node whose channel has no listener may be reconnecting to Redis: asked again this often. */
const GONE_RETRIES = 3;
const GONE_RETRY_MS = 200;

/**
 * Request and reply between nodes over Redis pub/sub: each node listens on its own channel;
 * a request names the node that should answer, the reply comes back on the sender's channel.
 * Pub/sub tells at once whether anyone listens (a node that died has no listener), and a
 * request that got no answer in time fails rather than waits.
 */
export class SeatRelay {
  private subscriber: TRedisClient | undefined;
  private readonly waiting = new Map<string, (reply: TReplyEnvelope) => void>();

  constructor(
    private readonly redis: RedisConnection,
    private readonly options: {
      timeoutMs: number;
      log: Logger;
      /** Answers a request addressed to this node; what it returns is the reply's body. */
      handle: (request: TRelayRequest) => Promise<unknown>;
    },
  ) {}

  async start(): Promise<void> {
    this.subscriber = await this.redis.subscriber("relay");
    await this.subscriber.subscribe(this.channel(this.redis.nodeId), (message) =>
      this.onMessage(message),
    );
  }

  async stop(): Promise<void> {
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    if (subscriber) await closeClient(subscriber);
  }

  /** Sends `request` to `nodeId` and waits for its reply (validated against the kind's schema). */
  async call<K extends TRelayRequest["kind"]>(
    nodeId: string,
    request: Extract<TRelayRequest, { kind: K }>,
  ): Promise<TRelayOutcome<K>> {
    const id = randomUUID();
    const envelope: TRelayEnvelope = {
      v: RELAY_VERSION,
      type: "request",
      id,
      from: this.redis.nodeId,
      body: request,
    };
    const expected = this.expect(id);
    let delivered = false;
    try {
      delivered = await this.publish(this.channel(nodeId), JSON.stringify(envelope));
    } finally {
      if (!delivered) expected.cancel();
    }
    if (!delivered) return { ok: false, failure: "gone" };
    const answer = await expected.reply;
    if (!answer) return { ok: false, failure: "timeout" };
    if (answer.status !== "ok") return { ok: false, failure: answer.status };
    const parsed = RELAY_REPLIES[request.kind].safeParse(answer.body);
    if (!parsed.success) {
      this.options.log.warn(
        { nodeId, kind: request.kind, issues: parsed.error.issues.slice(0, 3) },
        "seat relay: reply not understood",
      );
      return { ok: false, failure: "unsupported" };
    }
    return { ok: true, value: parsed.data as TRelayReply<K> };
  }

  /** The reply to request `id`, or undefined after the timeout; cancel() stops waiting. */
  private expect(id: string): { reply: Promise<TReplyEnvelope | undefined>; cancel(): void } {
    let settle: (reply: TReplyEnvelope | undefined) => void = () => {};
    const reply = new Promise<TReplyEnvelope | undefined>((resolve) => (settle = resolve));
    const timer = setTimeout(() => finish(undefined), this.options.timeoutMs);
    const finish = (answer: TReplyEnvelope | undefined) => {
      clearTimeout(timer);
      this.waiting.delete(id);
      settle(answer);
    };
    this.waiting.set(id, finish);
    return { reply, cancel: () => finish(undefined) };
  }

  /** True once someone listened; false when nobody did after a few tries (the node is gone). */
  private async publish(channel: string, message: string): Promise<boolean> {
    for (let attempt = 0; ; attempt += 1) {
      const receivers = await shared("seat relay publish", () =>
        this.redis.client.publish(channel, message),
      );
      if (receivers > 0) return true;
      if (attempt + 1 >= GONE_RETRIES) return false;
      await new Promise((resolve) => setTimeout(resolve, GONE_RETRY_MS));
    }
  }

  private onMessage(message: string): void {
    if (message.length > RELAY_MESSAGE_MAX_CHARS) {
      this.options.log.warn({ chars: message.length }, "seat relay: message too large, dropped");
      return;
    }
    let envelope: TRelayEnvelope;
    try {
      envelope = ZRelayEnvelope.parse(JSON.parse(message));
    } catch {
      this.options.log.warn("seat relay: message not understood, dropped");
      return;
    }
    if (envelope.type === "reply") {
      this.waiting.get(envelope.id)?.(envelope);
      return;
    }
    void this.answer(envelope);
  }

  private async answer(envelope: Extract<TRelayEnvelope, { type: "request" }>): Promise<void> {
    const request = ZRelayRequest.safeParse(envelope.body);
    let status: TReplyEnvelope["status"] = "ok";
    let body: unknown = null;
    if (envelope.v !== RELAY_VERSION || !request.success) {
      status = "unsupported";
      this.options.log.warn(
        { from: envelope.from, v: envelope.v },
        "seat relay: request not understood",
      );
    } else {
      try {
        body = await this.options.handle(request.data);
      } catch (error) {
        status = "error";
        this.options.log.error(
          { err: error, from: envelope.from, kind: request.data.kind },
          "seat relay: request failed",
        );
      }
    }
    const reply: TRelayEnvelope = {
      v: RELAY_VERSION,
      type: "reply",
      id: envelope.id,
      status,
      body,
    };
    try {
      await this.redis.client.publish(this.channel(envelope.from), JSON.stringify(reply));
    } catch (error) {
      this.options.log.error({ err: error, to: envelope.from }, "seat relay: reply not sent");
    }
  }

  private channel(nodeId: string): string {
    return this.redis.key("seats", "relay", nodeId);
  }
}
