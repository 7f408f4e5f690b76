"use server";

import { ZSetSeatStatusInput } from "@/lib/interventions/types";
import { defineAction } from "@/server/action-client";
import { services } from "@/server/services";

/** Sets the supervisor's own seat agent FREE or BUSY, on whichever node holds the seat. */
export const setSeatStatusAction = defineAction(
  { name: "setSeatStatus", input: ZSetSeatStatusInput, roles: ["supervisor", "admin"] },
  async ({ viewer, input }) => {
    const app = services();
    if (!app) return { ok: false, code: "floor_unavailable" };
    return app.interventions.seats.setAgentStatus(viewer.id, input.status);
  },
);
