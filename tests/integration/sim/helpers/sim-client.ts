import { WebSocket } from "ws";
import { encodeHandshake, type THandshake } from "@/lib/protocol/handshake";
import type { WireRecord } from "@/lib/protocol/normalize";

export type TMessage = WireRecord;

interface TWaiter {
  match: (message: TMessage) => boolean;
  resolve: (message: TMessage) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

let reqSeq = 0;

/** A fresh req_id, unique within the test run. */
export function nextReqId(): string {
  return `test-${process.pid}-${++reqSeq}`;
}

/**
 * A real WebSocket channel to the simulator. Every message is kept in order; a message that
 * answers a request this client sent (same req_id and msg_type, `pong` for `ping`) is a
 * response, anything else is a push.
 */
export class SimClient {
  readonly messages: TMessage[] = [];
  private readonly sent = new Map<string, string>();
  private waiters: TWaiter[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly socket: WebSocket) {
    socket.on("message", (data) => this.onMessage(String(data)));
    this.closed = new Promise((resolve) =>
      socket.on("close", (code, reason) => resolve({ code, reason: String(reason) })),
    );
  }

  /** Opens `/msg/<handshake>`; `segment` overrides the encoded handshake (bad-handshake tests). */
  static async open(port: number, handshake: THandshake | { segment: string }): Promise<SimClient> {
    const segment = "segment" in handshake ? handshake.segment : encodeHandshake(handshake);
    const socket = new WebSocket(`ws://127.0.0.1:${port}/msg/${segment}`);
    const client = new SimClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
    });
    return client;
  }

  /** An agent channel (os "Windows" like the seed). */
  static agent(port: number, agentId: string, os = "Windows"): Promise<SimClient> {
    return SimClient.open(port, {
      agent_id: agentId,
      company_code: agentId.split("_")[0] ?? "",
      os,
    });
  }

  static monitor(port: number, companyCode: string): Promise<SimClient> {
    return SimClient.open(port, {
      agent_id: `${companyCode}_monitor`,
      company_code: companyCode,
      os: "monitor",
    });
  }

  private onMessage(text: string): void {
    const message = JSON.parse(text) as TMessage;
    this.messages.push(message);
    const waiter = this.waiters.find((w) => w.match(message));
    if (!waiter) return;
    this.waiters = this.waiters.filter((w) => w !== waiter);
    clearTimeout(waiter.timer);
    waiter.resolve(message);
  }

  isResponse(message: TMessage): boolean {
    const sentType = typeof message.req_id === "string" ? this.sent.get(message.req_id) : undefined;
    return (
      sentType !== undefined &&
      (message.msg_type === sentType || (sentType === "ping" && message.msg_type === "pong"))
    );
  }

  get pushes(): TMessage[] {
    return this.messages.filter((m) => !this.isResponse(m));
  }

  /** Sends raw text or a frame as JSON, without waiting. */
  send(frame: string | WireRecord): void {
    if (typeof frame !== "string") this.remember(frame);
    this.socket.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  private remember(frame: WireRecord): void {
    if (typeof frame.req_id === "string" && typeof frame.msg_type === "string")
      this.sent.set(frame.req_id, frame.msg_type.trim());
  }

  /** Sends a request and resolves with its response (matched by req_id and msg_type). */
  request(frame: WireRecord, timeoutMs = 3000): Promise<TMessage> {
    const req: WireRecord = { req_id: nextReqId(), ...frame };
    const msgType = String(req.msg_type).trim();
    const expected = msgType === "ping" ? "pong" : msgType;
    const reqId = req.req_id;
    const response = this.next(
      (m) => m.req_id === reqId && (m.msg_type === expected || m.code !== "0"),
      timeoutMs,
    );
    this.send(req);
    return response;
  }

  /** Sends raw text (byte for byte) whose req_id and msg_type are known, and awaits the answer. */
  requestRaw(text: string, reqId: string, msgType: string, timeoutMs = 3000): Promise<TMessage> {
    this.sent.set(reqId, msgType);
    const response = this.next((m) => m.req_id === reqId && m.msg_type === msgType, timeoutMs);
    this.socket.send(text);
    return response;
  }

  /** The next message (already received or still to come) that matches, excluding ones already consumed. */
  next(match: (message: TMessage) => boolean, timeoutMs = 3000): Promise<TMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.timer !== timer);
        reject(
          new Error(
            `no matching message within ${timeoutMs} ms; got ${JSON.stringify(this.messages.slice(-5))}`,
          ),
        );
      }, timeoutMs);
      this.waiters.push({ match, resolve, reject, timer });
    });
  }

  /** A push already received or the next one to arrive. */
  async push(match: (message: TMessage) => boolean, timeoutMs = 3000): Promise<TMessage> {
    const seen = this.pushes.find(match);
    if (seen) return seen;
    return this.next((m) => !this.isResponse(m) && match(m), timeoutMs);
  }

  /** An agent_change push (msg_type change_status with a req_id we did not send). */
  agentChange(agentId: string, status: string, timeoutMs = 3000): Promise<TMessage> {
    return this.push(
      (m) =>
        m.msg_type === "change_status" &&
        m.agent_id === agentId &&
        m.agent_status === status &&
        m.msg === "agent_change",
      timeoutMs,
    );
  }

  clear(): void {
    this.messages.length = 0;
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    this.socket.close();
    await this.closed;
  }
}
