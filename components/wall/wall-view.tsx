"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { floorKeys } from "@/lib/floor/query-keys";
import { NotLiveSince } from "@/lib/wall/liveness";
import { AlertGate } from "@/lib/wall/alerts";
import { longestCalls, longestRings } from "@/lib/wall/longest";
import { Rotator, wallPages, type TWallPageKind } from "@/lib/wall/rotation";
import { skillGroups, skillScreens } from "@/lib/wall/skills";
import { OK_LEVELS, redTiles, tileLevels, wallSummary, type TAlertTile } from "@/lib/wall/summary";
import { wallKeys } from "@/lib/wall/query-keys";
import { DEFAULT_DISPLAY_SETTINGS, DEFAULT_WALL_THRESHOLDS } from "@/lib/wall/types";
import { useNow } from "@/components/ui/use-now";
import { useFloor, useFloorList, type TFloorSocket } from "@/components/floor/use-floor";
import { floorLiveness } from "@/components/floor/use-floor-live";
import type { TBannerState } from "@/components/floor/link-banner";
import { checkWallAccess } from "./api";
import { HistoryPage } from "./history-page";
import { LONGEST_ROWS, LongestPage } from "./longest-page";
import { RevokedScreen } from "./revoked-screen";
import { SKILL_GRID, SkillsPage } from "./skills-page";
import { SummaryPage } from "./summary-page";
import { useWallConfig } from "./use-wall-config";
import { useWallSound } from "./use-wall-sound";
import { PageIndicator, WallHeader } from "./wall-header";

/** After a check of the wall's access that could not reach the server, the next one. */
const ACCESS_RETRY_MS = 5000;

export interface TWallViewProps {
  companyCode: string;
  /** The display token's label; undefined for a signed-in user. */
  label: string | undefined;
  /** Masked customer numbers for a display (the server masks them); none for a user. */
  showNumbers: boolean;
  /** `?page=`: the rotation begins on this kind of page. */
  startPage: TWallPageKind | undefined;
}

/**
 * The wall of one company. Once its session is gone (revoked or expired display token, signed
 * out user) it shows only that: the floor leaves the DOM and the cache, the socket closes and
 * nothing reconnects.
 */
export function WallView(props: TWallViewProps) {
  const [revoked, setRevoked] = useState(false);
  const queryClient = useQueryClient();
  const onRevoked = useCallback(() => setRevoked(true), []);
  useEffect(() => {
    if (!revoked) return;
    queryClient.cancelQueries({ queryKey: wallKeys.all });
    queryClient.removeQueries({ queryKey: wallKeys.all });
    queryClient.removeQueries({ queryKey: floorKeys.snapshot(props.companyCode) });
  }, [revoked, queryClient, props.companyCode]);
  return (
    <div data-testid="wall-view" data-revoked={revoked ? "true" : "false"} className="h-full">
      {revoked ? <RevokedScreen /> : <WallLive {...props} onRevoked={onRevoked} />}
    </div>
  );
}

/** Why the wall is not live, in the words of the wall. */
function notLiveReason(
  banner: TBannerState,
): "socket" | "linkDown" | "linkConnecting" | "resyncing" {
  if (banner.kind === "link") return banner.link.state === "down" ? "linkDown" : "linkConnecting";
  if (banner.kind === "resyncing") return "resyncing";
  return "socket";
}

function WallLive({
  companyCode,
  label,
  showNumbers,
  startPage,
  onRevoked,
}: TWallViewProps & { onRevoked: () => void }) {
  const t = useTranslations("wall");
  const { config, thresholds, onThresholdsEvent } = useWallConfig(companyCode, onRevoked);

  // Listens on the floor's socket: thresholds, and whether a disconnect means the end.
  const attach = useCallback(
    (socket: TFloorSocket) => {
      let disposed = false;
      let retry: ReturnType<typeof setTimeout> | undefined;
      const check = async () => {
        clearTimeout(retry);
        const access = await checkWallAccess(companyCode);
        if (disposed) return;
        if (access === "revoked") onRevoked();
        else if (access === "ok") {
          if (!socket.connected && !socket.active) socket.connect();
        } else retry = setTimeout(() => void check(), ACCESS_RETRY_MS);
      };
      // The server dropped this socket (sessions ended or rights changed) or refused its
      // handshake: Socket.IO does not reconnect by itself then. Ask the wall route whether
      // this wall may still show its company: revoked, or reconnect.
      const onDisconnect = (reason: string) => {
        if (reason === "io server disconnect") void check();
      };
      const onConnectError = () => {
        if (!socket.active) void check();
      };
      socket.on("wall:thresholds", onThresholdsEvent);
      socket.on("disconnect", onDisconnect);
      socket.on("connect_error", onConnectError);
      return () => {
        disposed = true;
        clearTimeout(retry);
        socket.off("wall:thresholds", onThresholdsEvent);
        socket.off("disconnect", onDisconnect);
        socket.off("connect_error", onConnectError);
      };
    },
    [companyCode, onRevoked, onThresholdsEvent],
  );
  const { store } = useFloor(companyCode, attach);
  const listVersion = useFloorList(store);
  const now = useNow();
  const status = store.status;
  const serverNow = now === 0 ? 0 : now + status.clockOffset;
  const { live, banner } = floorLiveness(store, now, 0);
  const [liveTracker] = useState(() => new NotLiveSince());
  const loaded = status.sync !== "loading";
  const notLiveSince = loaded ? liveTracker.update(live, serverNow) : undefined;
  // While not live the figures are the last ones received: durations stop where they were
  // rather than go on counting from old starts. The clock goes on.
  const figuresAt = notLiveSince ?? serverNow;
  const queryClient = useQueryClient();
  const wasLive = useRef<boolean | undefined>(undefined);
  useEffect(() => {
    // Back after an outage (often a restart, maybe a new deployment): ask for the config and
    // the history now instead of at the next minute.
    const isLive = live && loaded;
    if (isLive && wasLive.current === false)
      void queryClient.invalidateQueries({ queryKey: wallKeys.all });
    wasLive.current = isLive;
  }, [live, loaded, queryClient]);

  const summary = wallSummary(
    store.agentList,
    store.callList,
    figuresAt,
    thresholds ?? DEFAULT_WALL_THRESHOLDS,
  );
  const levels = thresholds ? tileLevels(summary, figuresAt, thresholds) : OK_LEVELS;
  const red = redTiles(levels);

  const sound = useWallSound(config?.display.sound ?? false);
  const [gate] = useState(() => new AlertGate());
  const { play } = sound;
  useEffect(() => {
    if (gate.update(levels, live && loaded, now).sound) play();
  }, [gate, levels, live, loaded, now, play]);

  const screens = useMemo(
    () => skillScreens(skillGroups(store.agentList, store.skills), SKILL_GRID),
    [store, listVersion], // eslint-disable-line react-hooks/exhaustive-deps
  );
  const rotateSeconds = config?.display.rotateSeconds ?? DEFAULT_DISPLAY_SETTINGS.rotateSeconds;
  const pages = useMemo(
    () => wallPages(rotateSeconds, screens.length),
    [rotateSeconds, screens.length],
  );
  const [rotator] = useState(() => new Rotator(startPage));
  const page = rotator.current(pages, rotateSeconds, now);

  let body: React.ReactNode;
  switch (page.kind) {
    case "summary":
      body = (
        <SummaryPage
          summary={summary}
          levels={levels}
          thresholds={thresholds}
          serverNow={figuresAt}
          interventionsToday={config?.interventionsToday}
        />
      );
      break;
    case "skills":
      body = (
        <SkillsPage
          sections={screens[page.screen] ?? []}
          serverNow={figuresAt}
          thresholds={thresholds}
        />
      );
      break;
    case "longest": {
      const agents = new Map(store.agentList.map((a) => [a.agentId, a]));
      body = (
        <LongestPage
          calls={longestCalls(store.callList, agents, LONGEST_ROWS)}
          rings={longestRings(store.agentList, LONGEST_ROWS)}
          serverNow={figuresAt}
          thresholds={thresholds}
          showNumbers={showNumbers}
        />
      );
      break;
    }
    case "history":
      body = <HistoryPage companyCode={companyCode} />;
      break;
  }

  return (
    <div
      data-testid="wall-live-view"
      data-live={live && loaded ? "true" : "false"}
      data-page={page.kind}
      data-config={config ? "true" : "false"}
      className="flex h-full flex-col gap-[1.4vh]"
    >
      <WallHeader
        companyName={config?.companyName ?? companyCode}
        companyCode={companyCode}
        label={label}
        sound={sound.state}
        onEnableSound={sound.enable}
        notLiveSince={notLiveSince}
        loading={!loaded}
        serverNow={serverNow}
      />
      {red.length > 0 ? <AlertStrip tiles={red} thresholdsMinutes={thresholds?.restMin} /> : null}
      {loaded && !live ? (
        <p
          role="alert"
          data-testid="wall-not-live"
          className="rounded-[1vh] bg-red-950 px-[2vh] py-[0.8vh] text-[length:clamp(1rem,3vh,4.5rem)] font-semibold text-red-50 ring-[0.3vh] ring-red-500"
        >
          <span aria-hidden="true">⚠ </span>
          {t(`notLive.${notLiveReason(banner)}`)}
        </p>
      ) : null}
      <section
        aria-label={t("title")}
        className={`min-h-0 flex-1 ${loaded && !live ? "opacity-50 grayscale" : ""}`}
      >
        {loaded ? (
          body
        ) : (
          <p className="flex h-full items-center justify-center text-[length:5vh] text-slate-300">
            {t("loading")}
          </p>
        )}
      </section>
      <PageIndicator pages={pages} current={page} />
    </div>
  );
}

/** The red tiles, on every page: the alert does not wait for the summary's turn. */
function AlertStrip({
  tiles,
  thresholdsMinutes,
}: {
  tiles: readonly TAlertTile[];
  thresholdsMinutes: number | undefined;
}) {
  const t = useTranslations("wall");
  const name = (tile: TAlertTile) => {
    switch (tile) {
      case "longestRing":
        return t("tiles.longestRing");
      case "longestCall":
        return t("tiles.longestCall");
      case "restOver":
        return t("tiles.restOver", { minutes: thresholdsMinutes ?? 0 });
      case "stale":
        return t("tiles.stale");
    }
  };
  return (
    <p
      role="alert"
      data-testid="wall-alert"
      data-tiles={tiles.join(" ")}
      className="rounded-[1vh] bg-red-700 px-[2vh] py-[0.8vh] text-[length:clamp(1rem,3.4vh,5rem)] font-bold text-white ring-[0.4vh] ring-red-300"
    >
      <span aria-hidden="true">⬣ </span>
      {t("alert", { tiles: tiles.map(name).join(" · ") })}
    </p>
  );
}
