"use client";

import { ZWallConfig, ZWallHistory, type TWallConfig, type TWallHistory } from "@/lib/wall/types";

/** A refusal or failure of a wall route, with its HTTP status (0: the request did not get through). */
export class WallRouteError extends Error {
  constructor(readonly status: number) {
    super(`wall route ${status}`);
  }

  /** The session behind this wall is gone: the display token was revoked or expired, or the user signed out. */
  get revoked(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

async function getJson<T>(url: string, parse: (body: unknown) => T): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { cache: "no-store" });
  } catch {
    throw new WallRouteError(0);
  }
  if (!response.ok) throw new WallRouteError(response.status);
  return parse(await response.json());
}

/** `GET /api/wall/<company>`: thresholds, display settings, interventions today, version. */
export function fetchWallConfig(companyCode: string): Promise<TWallConfig> {
  return getJson(`/api/wall/${encodeURIComponent(companyCode)}`, (body) => ZWallConfig.parse(body));
}

/** `GET /api/wall/<company>/history?hours=N`: agents by state per minute, oldest first. */
export function fetchWallHistory(companyCode: string, hours: number): Promise<TWallHistory> {
  return getJson(`/api/wall/${encodeURIComponent(companyCode)}/history?hours=${hours}`, (body) =>
    ZWallHistory.parse(body),
  );
}

/**
 * Whether this wall may still show its company: "revoked" on a 401/403, "ok" on an answer,
 * "unknown" when the server could not be asked (down, restarting, network).
 */
export async function checkWallAccess(companyCode: string): Promise<"ok" | "revoked" | "unknown"> {
  try {
    await fetchWallConfig(companyCode);
    return "ok";
  } catch (error) {
    if (error instanceof WallRouteError && error.revoked) return "revoked";
    return "unknown";
  }
}
