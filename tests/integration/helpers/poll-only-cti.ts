import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";

export interface TRosterAgent {
  agent_id: string;
  ext_id?: string;
}

/** What get_status answers for one agent (status, uuid, in_call_numbers, ...). */
export type TAgentAnswer = Record<string, unknown> & { status: string };

export interface TPollOnlyCti {
  port: number;
  /** Requests received per msg_type. */
  requests: Map<string, number>;
  close(): Promise<void>;
}

/**
 * A CTI peer that behaves like the real cloudcc server towards a monitor: it serves the roster
 * and answers get_status from `answer`, and never pushes an agent change to the monitor
 * channel (the real server pushes only to each agent's own channel). One skill holds the roster.
 */
export async function startPollOnlyCti(
  roster: readonly TRosterAgent[],
  answer: (agentId: string) => TAgentAnswer,
): Promise<TPollOnlyCti> {
  const requests = new Map<string, number>();
  const sockets = new Set<WebSocket>();
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      if (req.url !== "/openapi/get-agent-list") {
        res.writeHead(404).end();
        return;
      }
      const list = roster.map((a) => ({ ...a, agent_name: a.agent_id, agent_status: "FREE" }));
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          code: "0",
          data: [
            {
              skill_id: "skill-1",
              skill_name: "售前",
              agents: { list, total_count: list.length, total_page: 1, current_page: 1 },
            },
          ],
        }),
      );
    });
  });
  const wss = new WebSocketServer({ server });
  wss.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.send(JSON.stringify({ msg_type: "connect", code: "0", msg: "ok" }));
    socket.on("message", (data) => {
      const frame = JSON.parse(data.toString()) as {
        req_id: string;
        msg_type: string;
        agent_id?: string;
      };
      requests.set(frame.msg_type, (requests.get(frame.msg_type) ?? 0) + 1);
      if (frame.msg_type === "ping")
        socket.send(JSON.stringify({ msg_type: "pong", code: "0", req_id: frame.req_id }));
      if (frame.msg_type !== "get_status" || !frame.agent_id) return;
      socket.send(
        JSON.stringify({
          msg_type: "get_status",
          req_id: frame.req_id,
          code: "0",
          ...answer(frame.agent_id),
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    async close() {
      for (const socket of sockets) socket.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
