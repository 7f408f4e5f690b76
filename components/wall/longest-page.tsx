"use client";

import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import type { TFloorAgent } from "@/lib/floor/types";
import { formatDuration } from "@/lib/format/duration";
import { ringLevel, talkLevel, type TTileLevel } from "@/lib/wall/levels";
import type { TLongCall } from "@/lib/wall/longest";
import type { TWallThresholds } from "@/lib/wall/types";
import { WALL_LEVEL, WALL_STATE } from "./wall-style";

/** Rows per list: the page shows the longest only, however many calls there are. */
export const LONGEST_ROWS = 8;

function Duration({ ms, level }: { ms: number; level: TTileLevel }) {
  const t = useTranslations("wall.levels");
  const style = WALL_LEVEL[level];
  return (
    <span
      data-level={level}
      className={`inline-flex items-center justify-end gap-[1vh] rounded-[0.8vh] px-[1.2vh] py-[0.3vh] text-[1.3em] font-bold tabular-nums ${style.tile}`}
    >
      {level !== "ok" ? (
        <span className="text-[length:0.45em] font-black uppercase">
          <span aria-hidden="true">{style.icon} </span>
          {t(level)}
        </span>
      ) : null}
      {formatDuration(ms)}
    </span>
  );
}

function List({
  title,
  testId,
  empty,
  children,
}: {
  title: string;
  testId: string;
  empty: string;
  children: ReactNode[];
}) {
  return (
    <section aria-label={title} data-testid={testId} className="flex min-h-0 min-w-0 flex-col">
      <h2 className="mb-[1.2vh] border-b-[0.3vh] border-slate-600 pb-[0.6vh] text-[length:clamp(1.2rem,4vh,6rem)] leading-none font-bold">
        {title}
      </h2>
      {children.length === 0 ? (
        <p className="text-[length:clamp(1rem,3.4vh,5rem)] text-slate-300">{empty}</p>
      ) : (
        <ol
          className="grid min-h-0 flex-1 gap-[1vh]"
          style={{ gridTemplateRows: `repeat(${LONGEST_ROWS}, minmax(0, 1fr))` }}
        >
          {children}
        </ol>
      )}
    </section>
  );
}

const ROW =
  "grid grid-cols-[1fr_auto] items-center gap-x-[2vh] overflow-hidden rounded-[1vh] bg-slate-900 px-[1.6vh] text-[length:clamp(1rem,3.8vh,6rem)] leading-none";

/**
 * The longest calls in progress and the longest rings, longest first, each against its limits.
 * Customer numbers appear only as the server sent them to a display (masked); a signed-in user's
 * wall shows none at all.
 */
export function LongestPage({
  calls,
  rings,
  serverNow,
  thresholds,
  showNumbers,
}: {
  calls: readonly TLongCall[];
  rings: readonly TFloorAgent[];
  serverNow: number;
  thresholds: TWallThresholds | undefined;
  showNumbers: boolean;
}) {
  const t = useTranslations("wall");
  const tState = useTranslations("floor.status");
  return (
    <div className="grid h-full grid-cols-2 gap-[3vh]" data-testid="wall-longest">
      <List title={t("longest.calls")} testId="wall-longest-calls" empty={t("longest.noCalls")}>
        {calls.map((call) => {
          const ms = serverNow - call.since;
          return (
            <li key={call.uuid} className={ROW} data-testid="wall-long-call">
              <span className="min-w-0">
                <span className="block truncate leading-[1.15] font-semibold">
                  <span aria-hidden="true" style={{ color: WALL_STATE.CALLING.color }}>
                    {WALL_STATE.CALLING.icon}{" "}
                  </span>
                  {call.agents.map((a) => a.name).join(" · ")}
                </span>
                <span className="mt-[0.3vh] block truncate text-[length:0.6em] leading-[1.2] text-slate-300">
                  {t(`callState.${call.state}`)}
                  {showNumbers && call.customerNumber ? ` · ${call.customerNumber}` : ""}
                </span>
              </span>
              <Duration ms={ms} level={thresholds ? talkLevel(ms, thresholds) : "ok"} />
            </li>
          );
        })}
      </List>
      <List title={t("longest.rings")} testId="wall-longest-rings" empty={t("longest.noRings")}>
        {rings.map((agent) => {
          const ms = serverNow - agent.statusSince;
          return (
            <li
              key={agent.agentId}
              className={ROW}
              data-testid="wall-long-ring"
              data-agent-id={agent.agentId}
            >
              <span className="min-w-0">
                <span className="block truncate leading-[1.15] font-semibold">
                  <span aria-hidden="true" style={{ color: WALL_STATE.RINGING.color }}>
                    {WALL_STATE.RINGING.icon}{" "}
                  </span>
                  {agent.name}
                </span>
                <span className="mt-[0.3vh] block truncate text-[length:0.6em] leading-[1.2] text-slate-300">
                  {tState("RINGING")} · {agent.agentId}
                </span>
              </span>
              <Duration ms={ms} level={thresholds ? ringLevel(ms, thresholds) : "ok"} />
            </li>
          );
        })}
      </List>
    </div>
  );
}
