"use server";

import { ZResetPasswordInput } from "@/lib/auth/schemas";
import { defineAction } from "@/server/action-client";
import { resetPassword } from "@/server/auth/users";

/** Sets a user's password, lifts their lockout and ends their sessions. */
export const resetPasswordAction = defineAction(
  {
    name: "resetPassword",
    input: ZResetPasswordInput,
    roles: ["admin"],
  },
  ({ viewer, input, meta }) => resetPassword(viewer, input, meta),
);
