"use server";

import { z } from "zod";
import { ZInterventionSettings } from "@/lib/interventions/types";
import { defineAction } from "@/server/action-client";
import { services } from "@/server/services";

const ZInput = ZInterventionSettings.extend({ companyCode: z.string().trim().min(1).max(32) });

/** An admin decides whether interventions in a company need a reason. */
export const updateInterventionSettingsAction = defineAction(
  {
    name: "updateInterventionSettings",
    input: ZInput,
    roles: ["admin"],
    company: (input) => input.companyCode,
  },
  async ({ viewer, input, meta }) => {
    const app = services();
    if (!app) return { ok: false, code: "floor_unavailable" };
    const { companyCode, ...settings } = input;
    return app.interventions.saveSettings(viewer, companyCode, settings, meta);
  },
);
