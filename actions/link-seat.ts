"use server";

import { ZLinkSeatInput } from "@/lib/interventions/types";
import { defineAction } from "@/server/action-client";
import { services } from "@/server/services";

/** Checks the supervisor in on their own CTI agent; the password is kept in memory only. */
export const linkSeatAction = defineAction(
  { name: "linkSeat", input: ZLinkSeatInput, roles: ["supervisor", "admin"] },
  async ({ viewer, input, meta }) => {
    const app = services();
    if (!app) return { ok: false, code: "floor_unavailable" };
    return app.interventions.seats.link(viewer, input, meta);
  },
);
