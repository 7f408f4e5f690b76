"use server";

import { z } from "zod";
import { defineAction } from "@/server/action-client";
import { applySetCookies } from "@/server/auth/next-cookies";
import { signOut } from "@/server/auth/sign-in";

/** Ends the caller's session (a user's, or a wall display's) and clears its cookie. */
export const signOutAction = defineAction(
  { name: "signOut", input: z.undefined(), roles: ["viewer", "supervisor", "admin", "display"] },
  async ({ viewer, headers, meta }) => {
    const { setCookies } = await signOut(viewer, headers, meta);
    await applySetCookies(setCookies);
    return { ok: true, data: null };
  },
);
