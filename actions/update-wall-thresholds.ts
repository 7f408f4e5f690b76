"use server";

import { ZUpdateWallThresholdsInput } from "@/lib/wall/schemas";
import { defineAction } from "@/server/action-client";
import { services } from "@/server/services";

/** An admin sets a company's wall thresholds; audited, and applied at once by its open walls. */
export const updateWallThresholdsAction = defineAction(
  {
    name: "updateWallThresholds",
    input: ZUpdateWallThresholdsInput,
    roles: ["admin"],
    company: (input) => input.companyCode,
  },
  async ({ viewer, input, meta }) => {
    const app = services();
    if (!app) return { ok: false, code: "floor_unavailable" };
    return app.wall.saveThresholds(viewer, input.companyCode, input.thresholds, meta);
  },
);
