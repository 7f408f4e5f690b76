"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from "react";
import { io, type Socket } from "socket.io-client";
import { FloorClientStore } from "@/lib/floor/client-store";
import { floorKeys } from "@/lib/floor/query-keys";
import {
  ZFloorDelta,
  ZFloorHeartbeat,
  ZFloorSnapshot,
  type TFloorSnapshot,
} from "@/lib/floor/types";
import type { ClientToServerEvents, ServerToClientEvents, TJoinError } from "@/lib/realtime/events";

export type TFloorError = TJoinError | "snapshot";

async function fetchSnapshot(companyCode: string): Promise<TFloorSnapshot> {
  const response = await fetch(`/api/floor/${encodeURIComponent(companyCode)}/snapshot`, {
    cache: "no-store",
  });
  if (!response.ok) throw new Error(`snapshot ${response.status}`);
  return ZFloorSnapshot.parse(await response.json());
}

export type TFloorSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * One company's live floor in the browser: a Socket.IO connection that joins the company's
 * room, a snapshot through TanStack Query, and the external store they both feed. `attach`
 * (stable) listens on the same socket for other events of the floor's rooms (interventions) and
 * returns its cleanup.
 */
export function useFloor(
  companyCode: string,
  attach?: (socket: TFloorSocket) => () => void,
): {
  store: FloorClientStore;
  error: TFloorError | undefined;
} {
  const queryClient = useQueryClient();
  const store = useMemo(() => new FloorClientStore(), [companyCode]); // eslint-disable-line react-hooks/exhaustive-deps
  const [error, setError] = useState<TFloorError | undefined>(undefined);

  useEffect(() => {
    let disposed = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let connectedOnce = false;
    const socket: TFloorSocket = io({ transports: ["websocket"] });
    const detach = attach?.(socket);

    const loadSnapshot = async () => {
      clearTimeout(retry);
      try {
        const snapshot = await queryClient.fetchQuery({
          queryKey: floorKeys.snapshot(companyCode),
          queryFn: () => fetchSnapshot(companyCode),
          staleTime: 0,
          retry: 2,
        });
        if (disposed) return;
        store.applySnapshot(snapshot);
        setError(undefined);
      } catch {
        if (disposed) return;
        setError("snapshot");
        retry = setTimeout(() => void loadSnapshot(), 2000);
      }
    };

    const join = async () => {
      const result = await socket.emitWithAck("floor:join", { companyCode });
      if (disposed) return;
      if (!result.ok) {
        setError(result.code);
        return;
      }
      await loadSnapshot();
    };

    socket.on("connect", () => {
      store.setConnected(true);
      if (connectedOnce) store.reconnected();
      else store.beginSync();
      connectedOnce = true;
      void join();
    });
    socket.on("disconnect", () => store.setConnected(false));
    socket.on("floor:delta", (payload) => {
      const parsed = ZFloorDelta.safeParse(payload);
      if (parsed.success && parsed.data.companyCode === companyCode)
        store.receiveDelta(parsed.data);
    });
    socket.on("floor:heartbeat", (payload) => {
      const parsed = ZFloorHeartbeat.safeParse(payload);
      if (parsed.success && parsed.data.companyCode === companyCode)
        store.receiveHeartbeat(parsed.data);
    });
    const offResync = store.onResync(() => void loadSnapshot());

    return () => {
      disposed = true;
      clearTimeout(retry);
      offResync();
      detach?.();
      socket.close();
      store.dispose();
    };
  }, [companyCode, queryClient, store, attach]);

  return { store, error };
}

/** Re-renders when the list (membership, order, link, sync) may have changed: at most a few times a second. */
export function useFloorList(store: FloorClientStore): number {
  return useSyncExternalStore(store.subscribeList, store.getListVersion, () => 0);
}

/** One agent, re-rendering only when that agent changes. */
export function useFloorAgent(store: FloorClientStore, agentId: string) {
  // Stable callbacks: new ones would unsubscribe and subscribe again on every render of the row.
  const subscribe = useCallback(
    (listener: () => void) => store.subscribeAgent(agentId, listener),
    [store, agentId],
  );
  const get = useCallback(() => store.getAgent(agentId), [store, agentId]);
  return useSyncExternalStore(subscribe, get, noAgent);
}

const noAgent = () => undefined;
