import "server-only";
import { SeatChannel, type SeatIdentity, type TSeatStatus } from "./seat";

/**
 * The seats of this node, one per supervisor (keyed by the principal that linked it). Seats are
 * in memory only: the password behind a seat never leaves its SeatChannel, so a restart loses
 * every seat and its supervisor links again.
 */
export class SeatRegistry {
  private readonly seats = new Map<string, SeatChannel>();

  constructor(private readonly options: { baseUrl: string; requestTimeoutMs: number }) {}

  /** Links the owner's seat, replacing (and checking out) any seat it had. */
  async link(owner: string, identity: SeatIdentity, password: string): Promise<TSeatStatus> {
    await this.unlink(owner);
    const seat = new SeatChannel({ ...identity, ...this.options }, password);
    this.seats.set(owner, seat);
    const status = await seat.link();
    if (status.state !== "linked") {
      // Not linked (wrong password, CTI down): close it rather than let it retry behind the scenes.
      if (this.seats.get(owner) === seat) this.seats.delete(owner);
      await seat.unlink(status.reason);
      return { ...seat.status, ...status };
    }
    return status;
  }

  get(owner: string): SeatChannel | undefined {
    return this.seats.get(owner);
  }

  async unlink(owner: string): Promise<void> {
    const seat = this.seats.get(owner);
    if (!seat) return;
    this.seats.delete(owner);
    await seat.unlink();
  }

  get size(): number {
    return this.seats.size;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.seats.keys()].map((owner) => this.unlink(owner)));
  }
}
