import "server-only";
import { ZInterventionInput, type TOperation } from "@/lib/interventions/types";
import { defineAction } from "../action-client";
import { services } from "../services";

/** The server action of one operation: both run the same pipeline, for the same roles. */
export function interventionAction(operation: TOperation) {
  return defineAction(
    {
      name: operation,
      input: ZInterventionInput,
      roles: ["supervisor", "admin"],
      company: (input) => input.companyCode,
    },
    async ({ viewer, input, meta }) => {
      const app = services();
      if (!app) return { ok: false, code: "floor_unavailable" };
      return app.interventions.pipeline.run(operation, viewer, input, meta);
    },
  );
}
