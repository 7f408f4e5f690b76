/**
 * What crosses a proxied connection to the CTI, read off the bytes without changing them: HTTP
 * requests (the roster), WebSocket channels by their handshake, and every WebSocket message by
 * its `msg_type` in both directions. Used by tests/bench/cti-proxy.ts; pure, no I/O.
 */
import { decodeHandshake } from "@/lib/protocol/handshake";

/** Counters of one listener of the proxy (one design of the bench); all totals since start. */
export interface TWireCounts {
  /** WebSocket channels opened (upgrade requests to `/msg/<handshake>`), by handshake `os`. */
  channelsOpened: Record<string, number>;
  /** Channels whose connection is still open, by handshake `os`. */
  channelsOpen: Record<string, number>;
  /** HTTP requests that were not upgrades, by path. */
  httpRequests: Record<string, number>;
  /** WebSocket messages from the dashboard to the CTI, by msg_type. */
  toCti: Record<string, number>;
  /** WebSocket messages from the CTI to the dashboard, by msg_type. */
  fromCti: Record<string, number>;
}

export function emptyCounts(): TWireCounts {
  return { channelsOpened: {}, channelsOpen: {}, httpRequests: {}, toCti: {}, fromCti: {} };
}

/** Distinct names kept per map; anything past them is counted as "(other)". */
const MAX_NAMES = 64;

function bump(map: Record<string, number>, name: string, by = 1): void {
  const key = name in map || Object.keys(map).length < MAX_NAMES ? name : "(other)";
  map[key] = (map[key] ?? 0) + by;
}

const MSG_TYPE_KEY = Buffer.from('"msg_type"');
const HEAD_END = Buffer.from("\r\n\r\n");
/** A request head larger than this is not something our clients send: stop reading the stream. */
const MAX_HEAD_BYTES = 64 * 1024;

/** The `msg_type` string of a JSON text, found without parsing it (it is on the hot path). */
export function msgTypeOf(payload: Buffer): string {
  const at = payload.indexOf(MSG_TYPE_KEY);
  if (at < 0) return "(none)";
  let i = at + MSG_TYPE_KEY.length;
  while (i < payload.length && (payload[i] === 0x20 || payload[i] === 0x3a || payload[i] === 0x09))
    i += 1;
  if (payload[i] !== 0x22) return "(not a string)";
  const end = payload.indexOf(0x22, i + 1);
  if (end < 0) return "(unterminated)";
  return payload.toString("latin1", i + 1, end).trim() || "(empty)";
}

function unmask(payload: Buffer, mask: Buffer): void {
  const m = [mask[0] ?? 0, mask[1] ?? 0, mask[2] ?? 0, mask[3] ?? 0] as const;
  for (let i = 0; i < payload.length; i += 1) payload[i] = (payload[i] ?? 0) ^ (m[i & 3] ?? 0);
}

const CONTROL_NAMES: Record<number, string> = { 8: "(ws close)", 9: "(ws ping)", 10: "(ws pong)" };

/**
 * Reads WebSocket frames (RFC 6455 §5.2) from a byte stream and reports each complete message.
 * Frames from a client are masked: the payload is unmasked into a copy, the stream is untouched.
 */
class FrameReader {
  private pending: Buffer | undefined;
  private fragments: Buffer[] = [];

  constructor(private readonly onMessage: (name: string) => void) {}

  push(chunk: Buffer): void {
    const buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    let offset = 0;
    for (;;) {
      const consumed = this.frame(buf, offset);
      if (consumed === 0) break;
      offset += consumed;
    }
    this.pending = offset < buf.length ? buf.subarray(offset) : undefined;
  }

  /** Bytes of the frame at `offset`, or 0 when it is not complete yet. */
  private frame(buf: Buffer, offset: number): number {
    if (buf.length - offset < 2) return 0;
    const b0 = buf[offset] ?? 0;
    const b1 = buf[offset + 1] ?? 0;
    let length = b1 & 0x7f;
    let header = 2;
    if (length === 126) {
      if (buf.length - offset < 4) return 0;
      length = buf.readUInt16BE(offset + 2);
      header = 4;
    } else if (length === 127) {
      if (buf.length - offset < 10) return 0;
      length = Number(buf.readBigUInt64BE(offset + 2));
      header = 10;
    }
    const masked = (b1 & 0x80) !== 0;
    const maskAt = offset + header;
    if (masked) header += 4;
    if (buf.length - offset < header + length) return 0;
    const start = offset + header;
    const opcode = b0 & 0x0f;
    if (opcode >= 8) {
      this.onMessage(CONTROL_NAMES[opcode] ?? "(ws control)");
    } else {
      const payload = Buffer.from(buf.subarray(start, start + length));
      if (masked) unmask(payload, buf.subarray(maskAt, maskAt + 4));
      this.fragments.push(payload);
      if ((b0 & 0x80) !== 0) {
        const message = this.fragments.length === 1 ? payload : Buffer.concat(this.fragments);
        this.fragments = [];
        this.onMessage(opcode === 2 ? "(binary)" : msgTypeOf(message));
      }
    }
    return header + length;
  }
}

/**
 * One proxied TCP connection. The client side starts as HTTP: an upgrade to `/msg/<handshake>`
 * makes it a channel (counted by its `os`) and both directions are then read as WebSocket
 * frames; any other request is counted by path and its body skipped (Content-Length).
 */
export class ConnectionCounter {
  private head: Buffer | undefined;
  private bodyLeft = 0;
  private state: "http" | "ws" | "opaque" = "http";
  private serverHeadDone = false;
  private serverHead: Buffer | undefined;
  private channelOs: string | undefined;
  private readonly toCti: FrameReader;
  private readonly fromCti: FrameReader;

  constructor(private readonly counts: TWireCounts) {
    this.toCti = new FrameReader((name) => bump(counts.toCti, name));
    this.fromCti = new FrameReader((name) => bump(counts.fromCti, name));
  }

  fromClient(chunk: Buffer): void {
    if (this.state === "ws") return this.toCti.push(chunk);
    if (this.state === "opaque") return;
    const afterUpgrade = this.readHttp(chunk);
    if (afterUpgrade && afterUpgrade.length > 0) this.toCti.push(afterUpgrade);
  }

  /** Reads HTTP requests off the stream; returns the bytes that follow an upgrade, if one came. */
  private readHttp(chunk: Buffer): Buffer | undefined {
    let data = chunk;
    while (data.length > 0) {
      if (this.bodyLeft > 0) {
        const skip = Math.min(this.bodyLeft, data.length);
        this.bodyLeft -= skip;
        data = data.subarray(skip);
        continue;
      }
      const buf = this.head ? Buffer.concat([this.head, data]) : data;
      const end = buf.indexOf(HEAD_END);
      if (end < 0) {
        if (buf.length > MAX_HEAD_BYTES) this.state = "opaque";
        this.head = buf.length > MAX_HEAD_BYTES ? undefined : buf;
        return undefined;
      }
      this.head = undefined;
      const next = this.request(buf.toString("latin1", 0, end));
      data = buf.subarray(end + HEAD_END.length);
      if (next === "ws") return data;
      if (next === "opaque") return undefined;
    }
    return undefined;
  }

  fromServer(chunk: Buffer): void {
    if (this.state !== "ws") return;
    if (this.serverHeadDone) return this.fromCti.push(chunk);
    const buf = this.serverHead ? Buffer.concat([this.serverHead, chunk]) : chunk;
    const end = buf.indexOf(HEAD_END);
    if (end < 0) {
      this.serverHead = buf;
      return;
    }
    this.serverHead = undefined;
    this.serverHeadDone = true;
    const rest = buf.subarray(end + HEAD_END.length);
    if (rest.length > 0) this.fromCti.push(rest);
  }

  /** The connection closed: its channel is no longer open. */
  closed(): void {
    if (this.channelOs === undefined) return;
    bump(this.counts.channelsOpen, this.channelOs, -1);
    this.channelOs = undefined;
  }

  /** Counts one request head; returns what the rest of the stream is. */
  private request(head: string): "http" | "ws" | "opaque" {
    const [requestLine = "", ...lines] = head.split("\r\n");
    const path = (requestLine.split(" ")[1] ?? "").split("?")[0] ?? "";
    const header = (name: string) =>
      lines
        .find((line) => line.toLowerCase().startsWith(`${name}:`))
        ?.slice(name.length + 1)
        .trim()
        .toLowerCase();
    const channel = /^\/msg\/([^/?#]*)/.exec(path);
    if (header("upgrade") === "websocket" && channel) {
      const handshake = decodeHandshake(channel[1] ?? "");
      this.channelOs = handshake ? handshake.os.toLowerCase() : "(bad handshake)";
      bump(this.counts.channelsOpened, this.channelOs);
      bump(this.counts.channelsOpen, this.channelOs);
      this.state = "ws";
      return this.state;
    }
    bump(this.counts.httpRequests, path);
    if (header("transfer-encoding") !== undefined) this.state = "opaque";
    else this.bodyLeft = Number(header("content-length") ?? 0) || 0;
    return this.state;
  }
}
