"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/**
 * False during server render and until React has hydrated. Forms keep their submit button
 * disabled until then, so an early click never falls back to a native GET that would put the
 * password in the address bar.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
