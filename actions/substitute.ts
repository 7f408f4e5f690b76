"use server";

import { ZInterventionInput } from "@/lib/interventions/types";
import { defineAction } from "@/server/action-client";
import { services } from "@/server/services";

/** Take over (代接): the supervisor takes the customer from the target agent. */
export const substituteAction = defineAction(
  {
    name: "substitute",
    input: ZInterventionInput,
    roles: ["supervisor", "admin"],
    company: (input) => input.companyCode,
  },
  async ({ viewer, input, meta }) => {
    const app = services();
    if (!app) return { ok: false, code: "floor_unavailable" };
    return app.interventions.pipeline.run("substitute", viewer, input, meta);
  },
);
