"use client";

import { useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useMemo, useSyncExternalStore } from "react";
import type { FloorClientStore } from "@/lib/floor/client-store";
import { mayIntervene, type TPrincipal } from "@/lib/interventions/availability";
import { InterventionClientStore } from "@/lib/interventions/client-store";
import {
  ZInterventionView,
  type TInterventionSettings,
  type TInterventionView,
  type TOperation,
  type TSeatView,
} from "@/lib/interventions/types";
import type { TFloorSocket } from "@/components/floor/use-floor";
import { fetchInterventions, interventionKeys } from "./api";

/** What a button asks the confirm dialog for. */
export interface TInterventionRequest {
  operation: TOperation;
  agentId: string;
  callUuid: string;
}

/** Everything the buttons, badges, dialog and panel of one company's page share. */
export interface TInterventionsContext {
  companyCode: string;
  principal: TPrincipal;
  store: InterventionClientStore;
  floor: FloorClientStore;
  /** The seat with its agent's state (from the seat, else from the floor). */
  seat: Pick<TSeatView, "state" | "agentId" | "agentStatus"> | undefined;
  open: (request: TInterventionRequest) => void;
}

export const InterventionsContext = createContext<TInterventionsContext | null>(null);

/** The interventions of the page, or null where the principal may not intervene (no controls at all). */
export function useInterventions(): TInterventionsContext | null {
  return useContext(InterventionsContext);
}

const RETRY_MS = 5000;

/**
 * One company's interventions for a supervisor or admin: the store, and what to attach to the
 * floor's socket (the list on every connect, then `intervention:updated`). Null for others.
 */
export function useInterventionsLive(
  companyCode: string,
  principal: TPrincipal | undefined,
): { store: InterventionClientStore; attach: (socket: TFloorSocket) => () => void } | null {
  const queryClient = useQueryClient();
  const allowed = principal !== undefined && mayIntervene(principal);
  const store = useMemo(
    () => (allowed ? new InterventionClientStore() : null),
    [allowed, companyCode], // eslint-disable-line react-hooks/exhaustive-deps -- a new company, a new store
  );
  const attach = useCallback(
    (socket: TFloorSocket) => {
      if (!store) return () => undefined;
      let disposed = false;
      let retry: ReturnType<typeof setTimeout> | undefined;
      const load = async () => {
        clearTimeout(retry);
        store.beginLoad();
        try {
          const data = await queryClient.fetchQuery({
            queryKey: interventionKeys.list(companyCode),
            queryFn: () => fetchInterventions(companyCode),
            staleTime: 0,
            retry: 1,
          });
          if (!disposed) store.applyList(data.interventions, data.settings);
        } catch {
          if (!disposed) retry = setTimeout(() => void load(), RETRY_MS);
        }
      };
      const onConnect = () => void load();
      const onUpdated = (payload: TInterventionView) => {
        const parsed = ZInterventionView.safeParse(payload);
        if (parsed.success && parsed.data.companyCode === companyCode) store.upsert(parsed.data);
      };
      socket.on("connect", onConnect);
      socket.on("intervention:updated", onUpdated);
      return () => {
        disposed = true;
        clearTimeout(retry);
        socket.off("connect", onConnect);
        socket.off("intervention:updated", onUpdated);
      };
    },
    [store, companyCode, queryClient],
  );
  return useMemo(() => (store ? { store, attach } : null), [store, attach]);
}

/** The intervention in progress on one call; re-renders on that call's changes only. */
export function useActiveForCall(
  store: InterventionClientStore,
  callUuid: string | undefined,
): TInterventionView | undefined {
  const subscribe = useCallback(
    (listener: () => void) => (callUuid ? store.subscribeCall(callUuid, listener) : noop),
    [store, callUuid],
  );
  const get = useCallback(
    () => (callUuid ? store.activeForCall(callUuid) : undefined),
    [store, callUuid],
  );
  return useSyncExternalStore(subscribe, get, none);
}

/** The intervention in progress targeting one agent; re-renders on that agent's changes only. */
export function useActiveForAgent(
  store: InterventionClientStore,
  agentId: string,
): TInterventionView | undefined {
  const subscribe = useCallback(
    (listener: () => void) => store.subscribeAgent(agentId, listener),
    [store, agentId],
  );
  const get = useCallback(() => store.activeForAgent(agentId), [store, agentId]);
  return useSyncExternalStore(subscribe, get, none);
}

/** One intervention by id (the dialog following the one it sent). */
export function useIntervention(
  store: InterventionClientStore,
  id: string | undefined,
): TInterventionView | undefined {
  const subscribe = useCallback(
    (listener: () => void) => (id ? store.subscribeId(id, listener) : noop),
    [store, id],
  );
  const get = useCallback(() => (id ? store.get(id) : undefined), [store, id]);
  return useSyncExternalStore(subscribe, get, none);
}

/** The list, newest first (the panel). */
export function useInterventionList(store: InterventionClientStore): TInterventionView[] {
  return useSyncExternalStore(store.subscribeList, store.list, emptyList);
}

export function useInterventionSettings(
  store: InterventionClientStore,
): TInterventionSettings | undefined {
  return useSyncExternalStore(store.subscribeList, store.settings, none);
}

const noop = () => undefined;
const none = () => undefined;
const EMPTY: TInterventionView[] = [];
const emptyList = () => EMPTY;
