"use client";

import { useTranslations } from "next-intl";
import { formatClock } from "@/lib/format/clock";
import type { TWallPage } from "@/lib/wall/rotation";
import type { TSoundState } from "./use-wall-sound";
import { HISTORY_HOURS } from "./history-page";

function pageName(page: TWallPage, t: ReturnType<typeof useTranslations<"wall.pages">>): string {
  switch (page.kind) {
    case "summary":
      return t("summary");
    case "skills":
      return page.screens > 1
        ? t("skillsScreen", { screen: page.screen + 1, screens: page.screens })
        : t("skills");
    case "longest":
      return t("longest");
    case "history":
      return t("history", { hours: HISTORY_HOURS });
  }
}

/**
 * Which pages rotate and which is on, along the foot of the screen (the header keeps the company,
 * the live mark and the clock): the skills screens count as one entry with its screen number.
 */
export function PageIndicator({
  pages,
  current,
}: {
  pages: readonly TWallPage[];
  current: TWallPage;
}) {
  const t = useTranslations("wall.pages");
  if (pages.length < 2) return null;
  const entries = pages.filter(
    (page) =>
      page.kind !== "skills" ||
      (current.kind === "skills" ? page.key === current.key : page.screen === 0),
  );
  return (
    <nav aria-label={t("label")} className="flex justify-center">
      <ol className="flex items-center gap-[1.6vh] text-[length:clamp(0.9rem,2.6vh,3.8rem)] whitespace-nowrap">
        {entries.map((page) => {
          const on = page.key === current.key;
          return (
            <li
              key={page.key}
              data-testid="wall-page-tab"
              data-page={page.kind}
              aria-current={on ? "page" : undefined}
              className={`rounded-full px-[1.4vh] py-[0.4vh] ${on ? "bg-white font-bold text-black" : "text-slate-300 ring-[0.2vh] ring-slate-600"}`}
            >
              <span aria-hidden="true">{on ? "● " : "○ "}</span>
              {pageName(page, t)}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

function SoundControl({ state, onEnable }: { state: TSoundState; onEnable: () => void }) {
  const t = useTranslations("wall.sound");
  if (state === "hidden") return null;
  if (state === "on")
    return (
      <span
        role="status"
        data-testid="wall-sound-on"
        className="rounded-full bg-emerald-900 px-[1.4vh] py-[0.4vh] font-semibold text-emerald-100 ring-[0.2vh] ring-emerald-400"
      >
        <span aria-hidden="true">♫ </span>
        {t("on")}
      </span>
    );
  return (
    <button
      type="button"
      data-testid="wall-sound-enable"
      title={t("enableHint")}
      onClick={onEnable}
      className="cursor-pointer rounded-full bg-white px-[1.4vh] py-[0.4vh] font-semibold text-black ring-[0.2vh] ring-white hover:bg-slate-200 focus-visible:outline-[0.4vh] focus-visible:outline-offset-[0.3vh] focus-visible:outline-sky-400"
    >
      <span aria-hidden="true">♫ </span>
      {t("enable")}
    </button>
  );
}

function LiveMark({
  notLiveSince,
  loading,
}: {
  notLiveSince: number | undefined;
  loading: boolean;
}) {
  const t = useTranslations("wall");
  if (loading)
    return (
      <span
        data-testid="wall-live"
        data-live="false"
        className="rounded-full px-[1.4vh] py-[0.4vh] text-slate-300 ring-[0.2vh] ring-slate-600"
      >
        {t("loading")}
      </span>
    );
  if (notLiveSince === undefined)
    return (
      <span
        role="status"
        data-testid="wall-live"
        data-live="true"
        className="rounded-full bg-emerald-600 px-[1.4vh] py-[0.4vh] font-bold text-white"
      >
        <span aria-hidden="true">● </span>
        {t("live")}
      </span>
    );
  return (
    <span
      role="status"
      data-testid="wall-live"
      data-live="false"
      className="rounded-full bg-red-600 px-[1.4vh] py-[0.4vh] font-bold text-white ring-[0.3vh] ring-white"
    >
      <span aria-hidden="true">⚠ </span>
      {t("notLiveSince", { time: formatClock(notLiveSince) })}
    </span>
  );
}

/** The wall's top line: company, which page, sound, live or not since when, and the clock. */
export function WallHeader({
  companyName,
  companyCode,
  label,
  sound,
  onEnableSound,
  notLiveSince,
  loading,
  serverNow,
}: {
  companyName: string;
  companyCode: string;
  label: string | undefined;
  sound: TSoundState;
  onEnableSound: () => void;
  notLiveSince: number | undefined;
  loading: boolean;
  serverNow: number;
}) {
  const t = useTranslations("wall");
  return (
    <header className="flex items-center justify-between gap-[3vh]">
      <div className="min-w-0">
        <h1
          data-testid="wall-company-name"
          className="truncate text-[length:clamp(1.4rem,4.6vh,7rem)] leading-none font-bold"
        >
          {companyName}
        </h1>
        {label || companyName !== companyCode ? (
          <p className="mt-[0.6vh] truncate text-[length:clamp(0.8rem,2.2vh,3.2rem)] text-slate-300">
            <span data-testid="wall-company">{companyCode}</span>
            {label ? (
              <>
                {" · "}
                <span data-testid="wall-label">{label}</span>
              </>
            ) : null}
          </p>
        ) : null}
      </div>
      <div className="flex shrink-0 items-center gap-[1.6vh] text-[length:clamp(0.9rem,2.6vh,4rem)]">
        <SoundControl state={sound} onEnable={onEnableSound} />
        <LiveMark notLiveSince={notLiveSince} loading={loading} />
        <time
          data-testid="wall-clock"
          aria-label={t("clock")}
          className="text-[length:clamp(1.4rem,5.4vh,8rem)] leading-none font-bold tabular-nums"
        >
          {serverNow > 0 ? formatClock(serverNow) : "--:--:--"}
        </time>
      </div>
    </header>
  );
}
