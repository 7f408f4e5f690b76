import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ChannelHub } from "./channel-hub";
import { createRealClock } from "./clock";
import { createControlServer } from "./control-api";
import { resolveSimOptions, type TSimOptions } from "./options";
import { SimFloor } from "./sim-floor";
import { SimStats } from "./stats";
import { createFront } from "./ws-front";

export type { TSimOptions } from "./options";

export interface Simulator {
  /** The bound WebSocket + roster port. */
  readonly port: number;
  /** The bound control API port (always on 127.0.0.1). */
  readonly controlPort: number;
  readonly options: TSimOptions;
  /** The current floor generation (replaced by a reset). */
  readonly floor: SimFloor;
  /** Rebuilds the floor from the seed, as `POST /control/reset` does. */
  reset(): void;
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Starts the CTI simulator: protocol port, control API, floor and traffic model. */
export async function createSimulator(input: Partial<TSimOptions> = {}): Promise<Simulator> {
  const options = resolveSimOptions(input);
  const clock = createRealClock(options.speed);
  const stats = new SimStats();
  const hub = new ChannelHub(stats);
  let floor = new SimFloor(options, clock, hub, stats);
  const reset = () => {
    floor.dispose();
    hub.dropSessions();
    stats.reset();
    floor = new SimFloor(options, clock, hub, stats);
  };
  const front = createFront({
    floor: () => floor,
    hub,
    stats,
    silenceTimeoutMs: options.silenceTimeoutMs,
    maxFrameBytes: options.maxFrameBytes,
  });
  const control = createControlServer({ floor: () => floor, hub, stats, reset, clock });
  let port: number;
  let controlPort: number;
  try {
    port = await listen(front.server, options.port, options.host);
    controlPort = await listen(control, options.controlPort, "127.0.0.1");
  } catch (error) {
    floor.dispose();
    front.server.close();
    control.close();
    throw error;
  }
  return {
    port,
    controlPort,
    options,
    get floor() {
      return floor;
    },
    reset,
    async close() {
      floor.dispose();
      front.terminateSockets();
      await Promise.all([closeServer(front.server), closeServer(control)]);
    },
  };
}
