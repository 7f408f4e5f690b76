"use server";

import { ZSignInInput } from "@/lib/auth/schemas";
import { definePublicAction } from "@/server/action-client";
import { applySetCookies } from "@/server/auth/next-cookies";
import { signIn } from "@/server/auth/sign-in";

/** Username + password → session cookie. Rate limited, locks the account after repeated failures. */
export const signInAction = definePublicAction(
  { name: "signIn", input: ZSignInInput },
  async ({ input, headers, meta }) => {
    const result = await signIn(input, headers, meta);
    if (!result.ok) return result;
    await applySetCookies(result.data.setCookies);
    return { ok: true, data: null };
  },
);
