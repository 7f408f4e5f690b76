import { EventEmitter } from "node:events";
import { randomUUID } from "node:crypto";
import type { Socket as NetSocket } from "node:net";
import "server-only";
import WebSocket from "ws";
import { channelUrl, type THandshake } from "@/lib/protocol/handshake";
import { decodeFrame, readString, type WireRecord } from "@/lib/protocol/normalize";
import type { TChannelStatus, TLinkStateName } from "@/lib/link-state";
import type { TRequestType, REQUEST_SCHEMAS } from "@/lib/protocol/requests";
import type { z } from "zod";
import { backoffDelay } from "./backoff";

/** The body of an outbound request, typed from the protocol's request schema of its msg_type. */
export type TRequestBody<T extends TRequestType> = z.input<(typeof REQUEST_SCHEMAS)[T]>;

export type ChannelStatus = TChannelStatus;

export interface ChannelOptions {
  baseUrl: string;
  handshake: THandshake;
  requestTimeoutMs?: number;
  pingIntervalMs?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Frames larger than this are counted as malformed and dropped. */
  maxFrameBytes?: number;
}

/** Why a request got no CTI response. A response with a non-zero code is not an error: callers read `code`. */
export class CtiRequestError extends Error {
  constructor(
    public readonly kind: "timeout" | "link_down" | "closed",
    message: string,
  ) {
    super(message);
  }
}

interface Pending {
  resolve: (frame: WireRecord) => void;
  reject: (error: CtiRequestError) => void;
  /** Epoch ms after which the request has failed. */
  deadline: number;
  msgType: string;
}

/**
 * Timeouts are checked by one sweep rather than one timer per request: the poller sends
 * thousands of requests a second, and a timer each costs more than the request.
 */
const TIMEOUT_SWEEP_MS = 100;

/** The response msg_type of a request, where it is not the request's own. */
const RESPONSE_TYPE: Record<string, string> = { ping: "pong" };

export interface ChannelEvents {
  state: [ChannelStatus];
  push: [WireRecord];
  malformed: [{ reason: string; sample: string }];
}

/**
 * One WebSocket channel to the CTI (protocol.md §1): handshake in the path, ping every 20 s,
 * responses matched by req_id AND msg_type (req_ids repeat in practice), everything else is a
 * push, reconnect with capped exponential backoff and full jitter.
 */
export class CtiChannel extends EventEmitter<ChannelEvents> {
  private socket: WebSocket | undefined;
  /** The TCP socket under `socket`, corked while requests of one synchronous run are sent. */
  private tcp: NetSocket | undefined;
  private corked = false;
  private readonly pending = new Map<string, Pending>();
  private pingTimer: NodeJS.Timeout | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private stopped = true;
  private current: ChannelStatus = {
    state: "down",
    since: Date.now(),
    reason: "not started",
    reconnects: 0,
    malformedFrames: 0,
  };
  private readonly opts: Required<Omit<ChannelOptions, "handshake" | "baseUrl">> &
    Pick<ChannelOptions, "handshake" | "baseUrl">;

  constructor(options: ChannelOptions) {
    super();
    // `??`, not a spread: a setting passed as undefined keeps its default.
    this.opts = {
      baseUrl: options.baseUrl,
      handshake: options.handshake,
      requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
      pingIntervalMs: options.pingIntervalMs ?? 20_000,
      backoffBaseMs: options.backoffBaseMs ?? 500,
      backoffCapMs: options.backoffCapMs ?? 30_000,
      maxFrameBytes: options.maxFrameBytes ?? 1024 * 1024,
    };
  }

  get status(): ChannelStatus {
    return { ...this.current };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    const socket = this.socket;
    this.socket = undefined;
    this.tcp = undefined;
    this.failPending("closed", "channel stopped");
    if (socket && socket.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        socket.once("close", () => resolve());
        socket.close(1000, "stopping");
        setTimeout(() => {
          socket.terminate();
          resolve();
        }, 1000).unref();
      });
    }
    this.setState("down", "stopped");
  }

  /**
   * Sends `{req_id, msg_type, company_code, ...body}` and resolves with the matching response
   * (whatever its code). Rejects with CtiRequestError when the link is down or no answer comes.
   */
  request<T extends TRequestType>(msgType: T, body: TRequestBody<T>): Promise<WireRecord> {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN || this.current.state !== "up") {
      return Promise.reject(new CtiRequestError("link_down", `CTI link is ${this.current.state}`));
    }
    const reqId = randomUUID();
    const key = `${reqId}|${RESPONSE_TYPE[msgType] ?? msgType}`;
    const frame = {
      req_id: reqId,
      company_code: this.opts.handshake.company_code,
      msg_type: msgType,
      ...body,
    };
    return new Promise<WireRecord>((resolve, reject) => {
      this.pending.set(key, {
        resolve,
        reject,
        deadline: Date.now() + this.opts.requestTimeoutMs,
        msgType,
      });
      this.sweepTimer ??= setInterval(() => this.expire(), TIMEOUT_SWEEP_MS);
      this.coalesceWrites();
      socket.send(JSON.stringify(frame), (error) => {
        if (!error || !this.pending.delete(key)) return;
        reject(new CtiRequestError("link_down", error.message));
      });
    });
  }

  /**
   * The poller sends its requests in bursts (one per pacing tick); written one by one, each is a
   * syscall, and the syscalls were the largest single cost of polling (a third of the poll path in
   * the bench:floor profile). Corked until the current synchronous run ends, a burst is one write.
   */
  private coalesceWrites(): void {
    const tcp = this.tcp;
    if (this.corked || !tcp || tcp.destroyed) return;
    tcp.cork();
    this.corked = true;
    process.nextTick(() => {
      this.corked = false;
      tcp.uncork();
    });
  }

  /** Fails requests past their deadline (Map order is send order, so the first live one ends the scan). */
  private expire(): void {
    const now = Date.now();
    for (const [key, pending] of this.pending) {
      if (pending.deadline > now) break;
      this.pending.delete(key);
      pending.reject(
        new CtiRequestError(
          "timeout",
          `no ${pending.msgType} response within ${this.opts.requestTimeoutMs} ms`,
        ),
      );
    }
    if (this.pending.size === 0) {
      clearInterval(this.sweepTimer);
      this.sweepTimer = undefined;
    }
  }

  get inFlight(): number {
    return this.pending.size;
  }

  private connect(): void {
    if (this.stopped) return;
    this.setState("connecting");
    const socket = new WebSocket(channelUrl(this.opts.baseUrl, this.opts.handshake), {
      handshakeTimeout: this.opts.requestTimeoutMs,
      maxPayload: this.opts.maxFrameBytes,
    });
    this.socket = socket;
    this.tcp = undefined;
    let closeReason = "connection closed";
    socket.on("upgrade", (response) => {
      if (socket === this.socket) this.tcp = response.socket as NetSocket;
    });
    socket.on("message", (data, isBinary) => {
      if (socket !== this.socket) return;
      this.onMessage(isBinary ? "<binary>" : data.toString());
    });
    socket.on("error", (error) => {
      closeReason = error.message;
    });
    socket.on("close", (code, reason) => {
      if (socket !== this.socket) return;
      this.socket = undefined;
      this.tcp = undefined;
      clearInterval(this.pingTimer);
      const why = reason.length > 0 ? `${code} ${reason.toString()}` : `${code} ${closeReason}`;
      this.failPending("link_down", `CTI link closed: ${why}`);
      this.setState("down", why);
      this.scheduleReconnect();
    });
  }

  private onMessage(text: string): void {
    let decoded: ReturnType<typeof decodeFrame>;
    try {
      decoded = decodeFrame(text, this.opts.maxFrameBytes);
    } catch {
      // A hostile frame (e.g. nested deeper than the stack) must cost one frame, not the process.
      this.countMalformed("undecodable", text);
      return;
    }
    if (!decoded.ok) {
      this.countMalformed(decoded.reason, text);
      return;
    }
    const frame = decoded.frame;
    const msgType = readString(frame, "msg_type");
    if (msgType === undefined) {
      this.countMalformed("no msg_type", text);
      return;
    }
    if (msgType === "connect") {
      this.onConnected(frame);
      return;
    }
    const reqId = readString(frame, "req_id");
    const pending = reqId === undefined ? undefined : this.pending.get(`${reqId}|${msgType}`);
    if (pending && reqId !== undefined) {
      this.pending.delete(`${reqId}|${msgType}`);
      pending.resolve(frame);
      return;
    }
    // A change_status whose req_id we did not send is an agent_change push (protocol.md §4).
    this.emit("push", frame);
  }

  private onConnected(frame: WireRecord): void {
    if (readString(frame, "code") !== "0") {
      this.socket?.close(4000, `connect refused: ${readString(frame, "msg") ?? "no reason"}`);
      return;
    }
    this.attempt = 0;
    this.setState("up");
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => {
      this.request("ping", {}).catch((error: unknown) => {
        // No pong: the peer is gone without a close frame. Drop the socket; close() reconnects.
        if (error instanceof CtiRequestError && error.kind === "timeout") this.socket?.terminate();
      });
    }, this.opts.pingIntervalMs);
    this.pingTimer.unref();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const delay = backoffDelay(this.attempt, this.opts.backoffBaseMs, this.opts.backoffCapMs);
    this.attempt += 1;
    this.current.reconnects += 1;
    this.retryTimer = setTimeout(() => this.connect(), delay);
    this.retryTimer.unref();
  }

  private countMalformed(reason: string, text: string): void {
    this.current.malformedFrames += 1;
    this.emit("malformed", { reason, sample: text.slice(0, 200) });
  }

  private failPending(kind: "link_down" | "closed", message: string): void {
    const failed = [...this.pending.values()];
    this.pending.clear();
    clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
    for (const pending of failed) pending.reject(new CtiRequestError(kind, message));
  }

  private setState(state: TLinkStateName, reason?: string): void {
    if (this.current.state === state && state !== "down") return;
    this.current = {
      ...this.current,
      state,
      since: Date.now(),
      reason: state === "up" ? undefined : reason,
    };
    this.emit("state", this.status);
  }
}
