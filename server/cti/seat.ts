import "server-only";
import { EventEmitter } from "node:events";
import { readString, type WireRecord } from "@/lib/protocol/normalize";
import type { TRequestType } from "@/lib/protocol/requests";
import { CtiChannel, CtiRequestError, type TRequestBody } from "./channel";

/** The handshake `os` of seat channels: the CTI keeps one channel per agent and `os`. */
export const SEAT_OS = "floorwatch";

export type TSeatState = "linking" | "linked" | "lost" | "unlinked";

/** Why a seat is not linked: each has its own message for the supervisor. */
export type TSeatLossReason =
  "kicked_off" | "wrong_password" | "checkin_refused" | "cti_down" | "unlinked";

export interface TSeatStatus {
  state: TSeatState;
  /** Epoch ms the current state began. */
  since: number;
  reason?: TSeatLossReason;
  /** The CTI's code and message when it refused the check-in. */
  code?: string;
  msg?: string;
  companyCode: string;
  agentId: string;
  extId?: string;
}

export interface SeatIdentity {
  companyCode: string;
  agentId: string;
  extId?: string;
}

export interface SeatOptions extends SeatIdentity {
  baseUrl: string;
  requestTimeoutMs?: number;
  pingIntervalMs?: number;
}

export interface SeatEvents {
  status: [TSeatStatus];
  /** Pushes for the supervisor's own agent (callin, callback, agent_change, ...). */
  push: [WireRecord];
}

/**
 * A supervisor's own CTI agent channel (protocol.md §6: the CTI accepts supervisor operations
 * only from the channel the supervisor is checked in on). It checks in with the password on
 * every connect, so a reconnect after a CTI restart restores the seat by itself. The password
 * lives in one private field of this object: never logged, stored or returned.
 */
export class SeatChannel extends EventEmitter<SeatEvents> {
  readonly #password: string;
  private readonly channel: CtiChannel;
  private current: TSeatStatus;
  private readonly onState = () => this.onChannelState();
  private readonly onPush = (frame: WireRecord) => this.onPushFrame(frame);

  constructor(options: SeatOptions, password: string) {
    super();
    this.#password = password;
    // Only the settings given: an explicit undefined would override the channel's defaults.
    this.channel = new CtiChannel({
      baseUrl: options.baseUrl,
      handshake: { company_code: options.companyCode, agent_id: options.agentId, os: SEAT_OS },
      ...(options.requestTimeoutMs === undefined
        ? {}
        : { requestTimeoutMs: options.requestTimeoutMs }),
      ...(options.pingIntervalMs === undefined ? {} : { pingIntervalMs: options.pingIntervalMs }),
    });
    this.current = {
      state: "linking",
      since: Date.now(),
      companyCode: options.companyCode,
      agentId: options.agentId,
      ...(options.extId === undefined ? {} : { extId: options.extId }),
    };
  }

  get status(): TSeatStatus {
    return { ...this.current };
  }

  /** Opens the channel and checks in; resolves with the first outcome (linked, or why not). */
  link(): Promise<TSeatStatus> {
    const settled = new Promise<TSeatStatus>((resolve) => {
      const onStatus = (status: TSeatStatus) => {
        if (status.state === "linking" && status.reason === undefined) return;
        this.off("status", onStatus);
        resolve(status);
      };
      this.on("status", onStatus);
    });
    this.channel.on("state", this.onState);
    this.channel.on("push", this.onPush);
    this.channel.start();
    return settled;
  }

  /** Sends a request on the seat; refused locally unless the seat is linked. */
  request<T extends TRequestType>(msgType: T, body: TRequestBody<T>): Promise<WireRecord> {
    if (this.current.state !== "linked") {
      return Promise.reject(new CtiRequestError("link_down", `seat is ${this.current.state}`));
    }
    return this.channel.request(msgType, body);
  }

  /** Checks out (best effort) and closes the channel for good. */
  async unlink(reason: TSeatLossReason = "unlinked"): Promise<void> {
    if (this.current.state === "linked") {
      await this.channel.request("checkout", { agent_id: this.current.agentId }).catch(() => {});
    }
    await this.close("unlinked", reason);
  }

  /** A JSON view of the seat never carries the password. */
  toJSON(): TSeatStatus {
    return this.status;
  }

  private onChannelState(): void {
    const { state, reason } = this.channel.status;
    if (this.current.state === "lost" || this.current.state === "unlinked") return;
    if (state === "up") {
      void this.checkin();
      return;
    }
    if (state === "down") this.setStatus({ state: "linking", reason: "cti_down", msg: reason });
  }

  private async checkin(): Promise<void> {
    let frame: WireRecord;
    try {
      frame = await this.channel.request("checkin", {
        agent_id: this.current.agentId,
        ...(this.current.extId === undefined ? {} : { ext_id: this.current.extId }),
        agent_pwd: this.#password,
        os: SEAT_OS,
      });
    } catch (error) {
      // The channel went down under the check-in: its reconnect checks in again.
      const msg = error instanceof Error ? error.message : String(error);
      this.setStatus({ state: "linking", reason: "cti_down", msg });
      return;
    }
    const code = readString(frame, "code") ?? "";
    const msg = readString(frame, "msg");
    if (code === "0") {
      const extId = readString(frame, "ext_id") ?? this.current.extId;
      this.setStatus({ state: "linked", ...(extId === undefined ? {} : { extId }) });
      return;
    }
    // A refused check-in will be refused again on every reconnect: stop here and say why.
    await this.close("lost", code === "4004" ? "wrong_password" : "checkin_refused", code, msg);
  }

  private onPushFrame(frame: WireRecord): void {
    if (readString(frame, "msg_type") === "kick_off") {
      void this.close("lost", "kicked_off");
      return;
    }
    this.emit("push", frame);
  }

  private async close(
    state: "lost" | "unlinked",
    reason: TSeatLossReason,
    code?: string,
    msg?: string,
  ): Promise<void> {
    this.channel.off("state", this.onState);
    this.channel.off("push", this.onPush);
    this.setStatus({
      state,
      reason,
      ...(code === undefined ? {} : { code }),
      ...(msg === undefined ? {} : { msg }),
    });
    await this.channel.stop();
  }

  private setStatus(next: Partial<TSeatStatus> & { state: TSeatState }): void {
    const { companyCode, agentId, extId } = this.current;
    this.current = {
      companyCode,
      agentId,
      ...(extId === undefined ? {} : { extId }),
      since: Date.now(),
      ...next,
    };
    this.emit("status", this.status);
  }
}
