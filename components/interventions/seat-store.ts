"use client";

import { useSyncExternalStore } from "react";
import type { TSeatView } from "@/lib/interventions/types";

type Listener = () => void;

/**
 * The signed-in supervisor's seat, one per browser tab: the header's seat control feeds it
 * (`GET /api/seat`, `seat:updated`, the seat actions) and the intervention buttons read it.
 */
class SeatStore {
  private value: TSeatView | undefined;
  private readonly listeners = new Set<Listener>();

  /**
   * The latest view wins. `since` cannot order views: an unlinked seat's is the time it was
   * asked for, a linked one's the time it linked.
   */
  set(seat: TSeatView): void {
    this.value = seat;
    for (const listener of this.listeners) listener();
  }

  get = (): TSeatView | undefined => this.value;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}

export const seatStore = new SeatStore();

export function useSeat(): TSeatView | undefined {
  return useSyncExternalStore(seatStore.subscribe, seatStore.get, noSeat);
}

const noSeat = () => undefined;
