"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState, useTransition } from "react";
import { io, type Socket } from "socket.io-client";
import { setSeatStatusAction } from "@/actions/set-seat-status";
import { unlinkSeatAction } from "@/actions/unlink-seat";
import type { TActionResult } from "@/lib/errors";
import { ZSeatView, type TSeatView } from "@/lib/interventions/types";
import type { ClientToServerEvents, ServerToClientEvents } from "@/lib/realtime/events";
import { BUTTON_SECONDARY, FormMessage } from "@/components/auth/form-field";
import { formatClock } from "@/lib/format/clock";
import { fetchSeat, interventionKeys, RouteError } from "./api";
import { useStatusLabel } from "./labels";
import { LinkSeatDialog } from "./link-seat-dialog";
import { seatStore, useSeat } from "./seat-store";

const RETRY_MS = 5000;

const STATE_STYLE: Record<TSeatView["state"], { icon: string; className: string }> = {
  unlinked: {
    icon: "○",
    className: "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200",
  },
  linking: {
    icon: "◌",
    className: "bg-sky-100 text-sky-900 dark:bg-sky-900/60 dark:text-sky-100",
  },
  linked: {
    icon: "●",
    className: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/60 dark:text-emerald-200",
  },
  lost: { icon: "⚠", className: "bg-red-100 text-red-800 dark:bg-red-900/60 dark:text-red-200" },
};

/**
 * Keeps the seat store current: `GET /api/seat` when the control mounts and whenever its socket
 * (re)connects, and every `seat:updated` pushed to this user's sockets.
 */
function useSeatFeed(enabled: boolean): string | undefined {
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    if (!enabled) return;
    let disposed = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
      transports: ["websocket"],
    });
    const load = async () => {
      clearTimeout(retry);
      try {
        const seat = await queryClient.fetchQuery({
          queryKey: interventionKeys.seat(),
          queryFn: fetchSeat,
          staleTime: 0,
          retry: 1,
        });
        if (disposed) return;
        seatStore.set(seat);
        setError(undefined);
      } catch (cause) {
        if (disposed) return;
        setError(cause instanceof RouteError ? cause.message : String(cause));
        retry = setTimeout(() => void load(), RETRY_MS);
      }
    };
    socket.on("connect", () => void load());
    socket.on("seat:updated", (payload) => {
      const parsed = ZSeatView.safeParse(payload);
      if (parsed.success) seatStore.set(parsed.data);
    });
    return () => {
      disposed = true;
      clearTimeout(retry);
      socket.close();
    };
  }, [queryClient, enabled]);
  return error;
}

/**
 * The supervisor's seat in the header: its state (and why it is not linked), its agent,
 * extension and agent state; link (with the CTI agent password), unlink, Available / Busy.
 * Rendered for supervisors and admins only.
 */
export function SeatControl({ ctiAgentId }: { ctiAgentId: string | undefined }) {
  const t = useTranslations("interventions.seat");
  const statusLabel = useStatusLabel();
  // Without a CTI agent there is no seat to follow.
  const loadError = useSeatFeed(ctiAgentId !== undefined);
  const seat = useSeat();
  const reason = useSeatReason(seat);
  const [linking, setLinking] = useState(false);
  const [failure, setFailure] = useState<string | undefined>();
  const [pending, startTransition] = useTransition();
  const menu = useClosingMenu(linking);

  const run = (action: () => Promise<TActionResult<TSeatView>>) =>
    startTransition(async () => {
      try {
        const result = await action();
        if (result.ok) {
          seatStore.set(result.data);
          setFailure(undefined);
        } else setFailure(result.message);
      } catch {
        setFailure(t("networkError"));
      }
    });

  const state = seat?.state;
  // Not linked for a reason other than the supervisor's own unlink: say so at a glance.
  const warn = state === "unlinked" && seat?.reason !== undefined && seat.reason !== "unlinked";
  const style = warn ? STATE_STYLE.lost : state ? STATE_STYLE[state] : undefined;
  const agentId = seat?.agentId ?? ctiAgentId;
  const summary = !ctiAgentId
    ? t("noAgent")
    : state
      ? `${t(`states.${state}`)}${state === "linked" && seat?.agentStatus ? ` · ${statusLabel(seat.agentStatus)}` : ""}`
      : t("loading");

  return (
    <>
      <details
        ref={menu}
        className="relative"
        data-testid="seat-control"
        data-state={state ?? "unknown"}
        data-agent-status={seat?.agentStatus ?? ""}
      >
        <summary
          title={reason}
          className="flex cursor-pointer list-none items-center gap-2 rounded px-2 py-1 hover:bg-slate-100 dark:hover:bg-slate-800"
        >
          <span className="text-sm text-slate-500">{t("label")}</span>
          <span
            data-testid="seat-summary"
            className={`inline-flex items-center gap-1 rounded px-2 py-0.5 text-sm font-medium whitespace-nowrap ${style?.className ?? STATE_STYLE.unlinked.className}`}
          >
            <span aria-hidden="true">{ctiAgentId ? (style?.icon ?? "…") : "○"}</span>
            {summary}
          </span>
        </summary>
        <div className="absolute right-0 z-30 mt-2 flex w-80 flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-lg dark:border-slate-800 dark:bg-slate-900">
          {loadError ? (
            <FormMessage tone="error">{t("loadFailed", { message: loadError })}</FormMessage>
          ) : null}
          {seat && reason ? <SeatReason seat={seat} text={reason} /> : null}
          <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-slate-500">{t("agent")}</dt>
            <dd className="font-mono" data-testid="seat-agent">
              {agentId ?? t("noAgent")}
            </dd>
            <dt className="text-slate-500">{t("extension")}</dt>
            <dd className="font-mono" data-testid="seat-extension">
              {seat?.extId ?? "—"}
            </dd>
            <dt className="text-slate-500">{t("agentStatus")}</dt>
            <dd data-testid="seat-agent-status">
              {seat?.state === "linked" ? statusLabel(seat.agentStatus) : "—"}
            </dd>
            {seat ? (
              <>
                <dt className="text-slate-500">{t("since")}</dt>
                <dd className="tabular-nums">{formatClock(seat.since)}</dd>
              </>
            ) : null}
          </dl>
          {failure ? <FormMessage tone="error">{failure}</FormMessage> : null}
          {ctiAgentId ? (
            <div className="flex flex-wrap gap-2">
              {state === "linked" ? (
                <>
                  <button
                    type="button"
                    className={BUTTON_SECONDARY}
                    disabled={pending || seat?.agentStatus === "FREE"}
                    data-testid="seat-set-free"
                    onClick={() => run(() => setSeatStatusAction({ status: "FREE" }))}
                  >
                    {t("setFree")}
                  </button>
                  <button
                    type="button"
                    className={BUTTON_SECONDARY}
                    disabled={pending || seat?.agentStatus === "BUSY"}
                    data-testid="seat-set-busy"
                    onClick={() => run(() => setSeatStatusAction({ status: "BUSY" }))}
                  >
                    {t("setBusy")}
                  </button>
                  <button
                    type="button"
                    className={BUTTON_SECONDARY}
                    disabled={pending}
                    data-testid="seat-unlink"
                    onClick={() => run(() => unlinkSeatAction(undefined))}
                  >
                    {t("unlink")}
                  </button>
                </>
              ) : (
                <button
                  type="button"
                  className={BUTTON_SECONDARY}
                  disabled={pending || state === "linking"}
                  data-testid="seat-link"
                  onClick={() => setLinking(true)}
                >
                  {t("link")}
                </button>
              )}
            </div>
          ) : null}
        </div>
      </details>
      {linking && agentId ? (
        <LinkSeatDialog agentId={agentId} onClose={() => setLinking(false)} />
      ) : null}
    </>
  );
}

/**
 * The seat's menu closes on Escape and on a click elsewhere, like a menu; not while the link
 * dialog (outside it in the DOM) is open.
 */
function useClosingMenu(dialogOpen: boolean) {
  const ref = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    if (dialogOpen) return;
    const onPointer = (event: PointerEvent) => {
      const menu = ref.current;
      if (menu?.open && !menu.contains(event.target as Node)) menu.open = false;
    };
    const onKey = (event: KeyboardEvent) => {
      const menu = ref.current;
      if (event.key !== "Escape" || !menu?.open) return;
      menu.open = false;
      menu.querySelector("summary")?.focus();
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, [dialogOpen]);
  return ref;
}

/** Why the seat is not linked, in the user's language; undefined while linked or linking. */
function useSeatReason(seat: TSeatView | undefined): string | undefined {
  const t = useTranslations("interventions.seat");
  if (!seat || seat.state === "linked" || seat.state === "linking" || !seat.reason)
    return undefined;
  const known = t.has(`reasons.${seat.reason}`) && seat.reason !== "other";
  return known ? t(`reasons.${seat.reason}`) : t("reasons.other", { reason: seat.reason });
}

/** The reason (and the CTI's words when it said something). */
function SeatReason({ seat, text }: { seat: TSeatView; text: string }) {
  const t = useTranslations("interventions.seat");
  const tone =
    seat.reason === "unlinked"
      ? "text-slate-600 dark:text-slate-300"
      : "text-red-700 dark:text-red-300";
  return (
    <p className={`text-sm ${tone}`} data-testid="seat-reason" data-reason={seat.reason}>
      {text}
      {seat.code || seat.msg ? (
        <span className="block text-xs text-slate-500">
          {t("detail", { code: seat.code ?? "", msg: seat.msg ?? "" })}
        </span>
      ) : null}
    </p>
  );
}
