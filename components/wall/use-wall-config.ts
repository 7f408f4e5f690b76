"use client";

import { useQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useState } from "react";
import { DeploymentWatch } from "@/lib/wall/deployment";
import { wallKeys } from "@/lib/wall/query-keys";
import { ThresholdsState, ZWallThresholdsEvent } from "@/lib/wall/thresholds";
import type { TWallConfig, TWallThresholds } from "@/lib/wall/types";
import { fetchWallConfig, WallRouteError } from "./api";

/** The config (interventions today, settings, version) is asked for again every minute. */
export const CONFIG_REFRESH_MS = 60_000;

/**
 * The wall's config from `/api/wall/<company>`, refetched every minute, and its thresholds,
 * which the `wall:thresholds` event (`onThresholdsEvent`) changes at once. A 401/403 means the
 * session behind the wall is gone: `onRevoked`. A new server version reloads the page.
 */
export function useWallConfig(
  companyCode: string,
  onRevoked: () => void,
): {
  config: TWallConfig | undefined;
  thresholds: TWallThresholds | undefined;
  onThresholdsEvent: (payload: unknown) => void;
} {
  const query = useQuery({
    queryKey: wallKeys.config(companyCode),
    queryFn: async () => {
      const requestedAt = Date.now();
      return { requestedAt, config: await fetchWallConfig(companyCode) };
    },
    refetchInterval: CONFIG_REFRESH_MS,
    refetchIntervalInBackground: true,
    staleTime: CONFIG_REFRESH_MS / 2,
    retry: (failures, error) => !(error instanceof WallRouteError && error.revoked) && failures < 2,
  });
  const [state] = useState(() => new ThresholdsState());
  const [deployment] = useState(() => new DeploymentWatch());
  const [, setEvents] = useState(0);

  const onThresholdsEvent = useCallback(
    (payload: unknown) => {
      const parsed = ZWallThresholdsEvent.safeParse(payload);
      if (!parsed.success || parsed.data.companyCode !== companyCode) return;
      if (state.fromEvent(parsed.data.thresholds, Date.now())) setEvents((n) => n + 1);
    },
    [companyCode, state],
  );

  useEffect(() => {
    if (query.error instanceof WallRouteError && query.error.revoked) onRevoked();
  }, [query.error, onRevoked]);

  useEffect(() => {
    if (query.data && deployment.changed(query.data.config.version)) window.location.reload();
  }, [query.data, deployment]);

  // Idempotent for one answer: an answer older than the latest event leaves the event's values.
  if (query.data) state.fromConfig(query.data.config.thresholds, query.data.requestedAt);
  return { config: query.data?.config, thresholds: state.current, onThresholdsEvent };
}
