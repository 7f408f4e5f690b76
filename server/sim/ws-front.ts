import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocket, WebSocketServer, type RawData } from "ws";
import { ResultCode } from "@/lib/protocol/codes";
import { companyOfId, decodeHandshake, type THandshake } from "@/lib/protocol/handshake";
import { decodeFrame, MAX_FRAME_BYTES, type WireRecord } from "@/lib/protocol/normalize";
import type { ChannelHub } from "./channel-hub";
import { parseJson, readBody, sendJson } from "./http-util";
import { connectPush } from "./push-messages";
import { rosterResponse } from "./roster";
import type { SimFloor } from "./sim-floor";
import type { SimStats } from "./stats";
import { isMonitorChannel } from "./status-handlers";
import type { TChannel, TSimAgent } from "./types";

/** Close codes the simulator uses (documented in docs/simulator.md). */
export const CloseCode = { BAD_HANDSHAKE: 1008, SILENT: 1001, TOO_BIG: 1009 } as const;

export interface TFrontDeps {
  floor: () => SimFloor;
  hub: ChannelHub;
  stats: SimStats;
  silenceTimeoutMs: number;
  maxFrameBytes: number;
}

class WsChannel implements TChannel {
  readonly kind = "ws";
  session: TSimAgent | undefined = undefined;
  kickedOff = false;
  lastSeen = Date.now();
  silenceTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly companyCode: string,
    readonly agentId: string,
    readonly os: string,
    readonly socket: WebSocket,
    private readonly stats: SimStats,
    /** The TCP socket under `socket` (from the upgrade), corked while a tick's answers go out. */
    private readonly tcp: Duplex,
  ) {}

  private corked = false;

  deliver(message: WireRecord, text?: string): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    this.stats.framesOut++;
    this.coalesceWrites();
    this.socket.send(text ?? JSON.stringify(message));
  }

  /**
   * A poller pipelines many requests; ws parses every frame of a TCP chunk in one go and each
   * answer would be its own write syscall. Corking until the tick ends sends them together
   * (still one WebSocket frame per message), which roughly doubles get_status throughput.
   */
  private coalesceWrites(): void {
    if (this.corked) return;
    const raw = this.tcp;
    if (raw.destroyed) return;
    this.corked = true;
    raw.cork();
    process.nextTick(() => {
      this.corked = false;
      raw.uncork();
    });
  }
}

export interface TFront {
  server: Server;
  /** Drops every open socket; an http server does not close while upgraded sockets live. */
  terminateSockets(): void;
}

/** The protocol's one port: WebSocket at `/msg/<handshake>` and the HTTP roster. */
export function createFront(deps: TFrontDeps): TFront {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: deps.maxFrameBytes,
    perMessageDeflate: false,
  });
  const server = createServer((request, response) => void serveHttp(deps, request, response));
  // Once closing, an upgrade still in flight would create a socket nobody terminates, and
  // server.close() would wait for it forever.
  let closing = false;
  server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (closing) {
      socket.destroy();
      return;
    }
    const match = /^\/msg\/([^/?#]*)/.exec(request.url ?? "");
    if (!match) {
      socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    const handshake = decodeHandshake(match[1] ?? "");
    wss.handleUpgrade(request, socket, head, (ws) => {
      if (closing) {
        ws.terminate();
        return;
      }
      if (!handshake || !acceptable(handshake)) {
        ws.close(CloseCode.BAD_HANDSHAKE, "bad handshake");
        return;
      }
      openChannel(deps, ws, handshake, socket);
    });
  });
  return {
    server,
    terminateSockets: () => {
      closing = true;
      for (const client of wss.clients) client.terminate();
    },
  };
}

/** A monitor's id must carry its company's prefix; agent channels are checked at checkin. */
function acceptable(handshake: THandshake): boolean {
  return (
    handshake.os.toLowerCase() !== "monitor" ||
    companyOfId(handshake.agent_id) === handshake.company_code
  );
}

function openChannel(deps: TFrontDeps, ws: WebSocket, handshake: THandshake, tcp: Duplex): void {
  const channel = new WsChannel(
    handshake.company_code,
    handshake.agent_id,
    handshake.os,
    ws,
    deps.stats,
    tcp,
  );
  deps.stats.connections++;
  deps.stats.openChannels++;
  deps.hub.wsChannels.add(channel);
  if (isMonitorChannel(channel)) deps.hub.addMonitor(channel);
  armSilence(deps, channel);
  ws.on("message", (data, isBinary) => onFrame(deps, channel, data, isBinary));
  // ws reports oversized frames here, then closes with 1009; nothing else to do.
  ws.on("error", () => undefined);
  ws.on("close", () => closeChannel(deps, channel));
  channel.deliver(connectPush());
}

function armSilence(deps: TFrontDeps, channel: WsChannel): void {
  const wait = Math.max(0, channel.lastSeen + deps.silenceTimeoutMs - Date.now());
  // One timer per channel re-armed lazily: a frame only stamps lastSeen, keeping the hot path cheap.
  channel.silenceTimer = setTimeout(() => {
    if (Date.now() - channel.lastSeen >= deps.silenceTimeoutMs)
      channel.socket.close(CloseCode.SILENT, "silent too long");
    else armSilence(deps, channel);
  }, wait);
}

function onFrame(deps: TFrontDeps, channel: WsChannel, data: RawData, isBinary: boolean): void {
  deps.stats.framesIn++;
  channel.lastSeen = Date.now();
  const text =
    isBinary || !Buffer.isBuffer(data)
      ? Buffer.from(data as Buffer).toString("utf8")
      : data.toString("utf8");
  const decoded = decodeFrame(text, MAX_FRAME_BYTES);
  if (!decoded.ok) {
    deps.stats.malformed++;
    deps.stats.countResponse(ResultCode.BAD_PARAMETER);
    channel.deliver({ code: ResultCode.BAD_PARAMETER, msg: `malformed frame: ${decoded.reason}` });
    return;
  }
  const response = deps.floor().router.handle(channel, decoded.frame);
  if (response) channel.deliver(response);
}

/** A closed channel (silence or disconnect) checks its agent out, hanging up any call. */
function closeChannel(deps: TFrontDeps, channel: WsChannel): void {
  clearTimeout(channel.silenceTimer);
  deps.stats.openChannels--;
  deps.hub.wsChannels.delete(channel);
  deps.hub.removeMonitor(channel);
  const agent = channel.session;
  if (!agent) return;
  deps.floor().engine.checkout(agent, "channel_closed");
  deps.hub.unbind(agent);
}

async function serveHttp(
  deps: TFrontDeps,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const path = (request.url ?? "").split("?")[0];
  if (path !== "/openapi/get-agent-list") {
    sendJson(response, 404, { code: ResultCode.BAD_PARAMETER, msg: "not found" });
    return;
  }
  if (request.method !== "POST") {
    sendJson(response, 405, { code: ResultCode.BAD_PARAMETER, msg: "POST only" });
    return;
  }
  try {
    const body = parseJson(await readBody(request));
    sendJson(
      response,
      200,
      body === undefined
        ? { code: ResultCode.BAD_PARAMETER, msg: "body is not JSON" }
        : rosterResponse(deps.floor().engine, body),
    );
  } catch (error) {
    sendJson(response, 413, {
      code: ResultCode.BAD_PARAMETER,
      msg: error instanceof Error ? error.message : "bad body",
    });
  }
}
