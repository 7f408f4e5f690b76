"use client";

import type { FloorClientStore } from "@/lib/floor/client-store";
import type { TBannerState } from "./link-banner";

/** Heartbeats come every second; three missed ones mean the feed is not live. */
const HEARTBEAT_GRACE_MS = 3500;

/** Whether what the store holds may be shown as live, and what the banner says otherwise. */
export function floorLiveness(
  store: FloorClientStore,
  now: number,
  staleCount: number,
): { live: boolean; banner: TBannerState } {
  const status = store.status;
  if (!status.connected) return { live: false, banner: { kind: "socket-down" } };
  if (status.link && status.link.state !== "up")
    return { live: false, banner: { kind: "link", link: status.link } };
  if (status.sync !== "live") return { live: false, banner: { kind: "resyncing" } };
  if (now - status.lastHeartbeatAt > HEARTBEAT_GRACE_MS)
    return { live: false, banner: { kind: "socket-down" } };
  if (staleCount > 0) {
    return {
      live: true,
      banner: {
        kind: "stale",
        count: staleCount,
        seconds: Math.round((2 * status.pollIntervalMs) / 1000),
      },
    };
  }
  return { live: true, banner: { kind: "ok" } };
}
