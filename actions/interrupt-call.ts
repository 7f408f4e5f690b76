"use server";

import { ZInterventionInput } from "@/lib/interventions/types";
import { defineAction } from "@/server/action-client";
import { services } from "@/server/services";

/** Force hang-up (强拆): every leg of the target agent's call is hung up. */
export const interruptCallAction = defineAction(
  {
    name: "interruptCall",
    input: ZInterventionInput,
    roles: ["supervisor", "admin"],
    company: (input) => input.companyCode,
  },
  async ({ viewer, input, meta }) => {
    const app = services();
    if (!app) return { ok: false, code: "floor_unavailable" };
    return app.interventions.pipeline.run("interrupt_call", viewer, input, meta);
  },
);
