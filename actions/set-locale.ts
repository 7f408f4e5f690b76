"use server";

import { cookies } from "next/headers";
import { z } from "zod";
import { LOCALE_COOKIE, LOCALES } from "@/lib/i18n/config";
import { definePublicAction } from "@/server/action-client";

/** Remembers the caller's language for a year; the page re-renders in it. Open to anyone. */
export const setLocaleAction = definePublicAction(
  { name: "setLocale", input: z.enum(LOCALES) },
  async ({ input }) => {
    const store = await cookies();
    store.set(LOCALE_COOKIE, input, {
      path: "/",
      maxAge: 365 * 24 * 3600,
      sameSite: "lax",
      httpOnly: false,
    });
    return { ok: true, data: null };
  },
);
