"use server";

import { cookies } from "next/headers";
import { z } from "zod";
import { LOCALE_COOKIE, LOCALES } from "@/lib/i18n/config";

const ZSetLocaleInput = z.enum(LOCALES);

/** Remembers the user's language for a year; the page re-renders in it. */
export async function setLocaleAction(
  input: unknown,
): Promise<{ ok: true } | { ok: false; code: "bad_locale" }> {
  const parsed = ZSetLocaleInput.safeParse(input);
  if (!parsed.success) return { ok: false, code: "bad_locale" };
  const store = await cookies();
  store.set(LOCALE_COOKIE, parsed.data, {
    path: "/",
    maxAge: 365 * 24 * 3600,
    sameSite: "lax",
    httpOnly: false,
  });
  return { ok: true };
}
