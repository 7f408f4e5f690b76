import "server-only";
import type { Logger } from "pino";
import type { TSeatView } from "@/lib/interventions/types";
import type { RedisConnection } from "../redis/connection";
import type { TRelayRequest } from "./relay-messages";
import { SeatDirectory, type TSeatEntry } from "./seat-directory";
import { SeatRelay } from "./seat-relay";

export interface TSeatClusterOptions {
  redis: RedisConnection;
  /** How long a request to another node's seat may wait for its answer. */
  relayTimeoutMs: number;
  /** How long a seat stays in the directory once its node stops refreshing it (15 s). */
  directoryTtlMs?: number;
  log: Logger;
}

/** What the cluster needs from this node's seats and pipeline. */
export interface TSeatClusterHooks {
  /** Answers a request another node sent to a seat of this node. */
  handle(request: TRelayRequest): Promise<unknown>;
  /** The seats this node holds, written again into the directory on every beat. */
  localSeats(): { ownerId: string; entry: Omit<TSeatEntry, "node">; view: TSeatView }[];
  /** A seat whose node died: closes it (audit, header) if this node is first to find it. */
  closeGone(ownerId: string, entry: TSeatEntry): Promise<void>;
}

const DEFAULT_TTL_MS = 15_000;

/**
 * Seats across nodes: a seat stays on the node where it was linked; the directory says which
 * node that is, and the relay carries interventions, FREE/BUSY and unlinks there. Every third
 * of the directory's ttl this node writes its seats again and closes seats whose node died.
 */
export class SeatCluster {
  readonly directory: SeatDirectory;
  readonly relay: SeatRelay;
  readonly nodeId: string;
  private hooks: TSeatClusterHooks | undefined;
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> = Promise.resolve();

  constructor(private readonly options: TSeatClusterOptions) {
    this.nodeId = options.redis.nodeId;
    this.directory = new SeatDirectory(options.redis, options.directoryTtlMs ?? DEFAULT_TTL_MS);
    this.relay = new SeatRelay(options.redis, {
      timeoutMs: options.relayTimeoutMs,
      log: options.log,
      handle: (request) => {
        if (!this.hooks) throw new Error("seat cluster not started");
        return this.hooks.handle(request);
      },
    });
  }

  async start(hooks: TSeatClusterHooks): Promise<void> {
    this.hooks = hooks;
    await this.relay.start();
    this.timer = setInterval(() => {
      this.beating = this.beating.then(() => this.beat());
    }, this.directory.ttlMs / 3);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.beating;
    await this.relay.stop();
  }

  private async beat(): Promise<void> {
    const hooks = this.hooks;
    if (!hooks) return;
    try {
      for (const { ownerId, entry, view } of hooks.localSeats())
        await this.directory.refresh(ownerId, entry, view);
      for (const { ownerId, entry } of await this.directory.gone())
        await hooks.closeGone(ownerId, entry);
    } catch (error) {
      // Redis away: the next beat tries again (a seat's record outlives two missed beats).
      this.options.log.warn({ err: error }, "seat directory not refreshed");
    }
  }
}
