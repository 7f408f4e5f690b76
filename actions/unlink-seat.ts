"use server";

import { z } from "zod";
import { defineAction } from "@/server/action-client";
import { services } from "@/server/services";

/** Checks the supervisor's seat out and closes it, on whichever node holds it. */
export const unlinkSeatAction = defineAction(
  { name: "unlinkSeat", input: z.undefined(), roles: ["supervisor", "admin"] },
  async ({ viewer, meta }) => {
    const app = services();
    if (!app) return { ok: false, code: "floor_unavailable" };
    return app.interventions.seats.unlink(viewer.id, meta, "unlinked");
  },
);
