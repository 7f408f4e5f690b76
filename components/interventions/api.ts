"use client";

import { z } from "zod";
import {
  ZInterventionSettings,
  ZInterventionView,
  ZSeatView,
  type TInterventionSettings,
  type TInterventionView,
  type TSeatView,
} from "@/lib/interventions/types";

/** TanStack Query keys of the interventions feature, one factory so invalidations match fetches. */
export const interventionKeys = {
  all: ["interventions"] as const,
  seat: () => [...interventionKeys.all, "seat"] as const,
  list: (companyCode: string) => [...interventionKeys.all, "list", companyCode] as const,
};

const ZInterventionList = z.object({
  settings: ZInterventionSettings,
  interventions: z.array(ZInterventionView),
});
export type TInterventionList = {
  settings: TInterventionSettings;
  interventions: TInterventionView[];
};

/** A refused route answers `{code, message}` in the user's language. */
const ZRefusal = z.object({ code: z.string(), message: z.string() });

export class RouteError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

async function getJson<T>(url: string, schema: z.ZodType<T>): Promise<T> {
  const response = await fetch(url, { cache: "no-store" });
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const refusal = ZRefusal.safeParse(body);
    throw new RouteError(
      response.status,
      refusal.success ? refusal.data.code : undefined,
      refusal.success ? refusal.data.message : `${url}: ${response.status}`,
    );
  }
  return schema.parse(body);
}

/** `GET /api/seat`: the signed-in supervisor's seat. */
export function fetchSeat(): Promise<TSeatView> {
  return getJson("/api/seat", ZSeatView);
}

/** `GET /api/interventions/<company>`: the settings, those in progress and the latest finished. */
export function fetchInterventions(companyCode: string): Promise<TInterventionList> {
  return getJson(`/api/interventions/${encodeURIComponent(companyCode)}`, ZInterventionList);
}
