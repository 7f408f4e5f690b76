"use client";

import { useCallback, useMemo, useState, type ReactNode } from "react";
import type { FloorClientStore } from "@/lib/floor/client-store";
import type { TPrincipal } from "@/lib/interventions/availability";
import type { InterventionClientStore } from "@/lib/interventions/client-store";
import { useFloorAgent } from "@/components/floor/use-floor";
import { ConfirmDialog } from "./confirm-dialog";
import { useSeat } from "./seat-store";
import {
  InterventionsContext,
  type TInterventionRequest,
  type TInterventionsContext,
} from "./use-interventions";

/**
 * Gives the buttons, badges and panel of one company's page what they share, and holds the one
 * confirm dialog. The context value changes only with the seat, so the rows' cells re-render
 * when the seat does, never on the page's once-a-second clock.
 */
export function InterventionsProvider({
  companyCode,
  principal,
  store,
  floor,
  live,
  clockOffset,
  children,
}: {
  companyCode: string;
  principal: TPrincipal;
  store: InterventionClientStore;
  floor: FloorClientStore;
  live: boolean;
  clockOffset: number;
  children: ReactNode;
}) {
  const seatView = useSeat();
  const seatAgent = useFloorAgent(floor, seatView?.agentId ?? "");
  const seatState = seatView?.state;
  const seatAgentId = seatView?.agentId;
  // The seat says its agent's state; the floor does too when the seat has not said yet.
  const seatStatus = seatView?.agentStatus ?? seatAgent?.status;
  const seat = useMemo(
    () =>
      seatState === undefined
        ? undefined
        : { state: seatState, agentId: seatAgentId, agentStatus: seatStatus },
    [seatState, seatAgentId, seatStatus],
  );
  const [request, setRequest] = useState<(TInterventionRequest & { at: number }) | undefined>();
  const open = useCallback(
    (next: TInterventionRequest) => setRequest({ ...next, at: Date.now() }),
    [],
  );
  const close = useCallback(() => setRequest(undefined), []);
  const value = useMemo<TInterventionsContext>(
    () => ({ companyCode, principal, store, floor, seat, open }),
    [companyCode, principal, store, floor, seat, open],
  );
  return (
    <InterventionsContext.Provider value={value}>
      {children}
      {request ? (
        <ConfirmDialog
          key={request.at}
          context={value}
          request={request}
          live={live}
          clockOffset={clockOffset}
          onClose={close}
        />
      ) : null}
    </InterventionsContext.Provider>
  );
}
