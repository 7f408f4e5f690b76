"use server";

import { ZSetUserDisabledInput } from "@/lib/auth/schemas";
import { defineAction } from "@/server/action-client";
import { setUserDisabled } from "@/server/auth/users";

/** Disables (ending their sessions) or re-enables a user. */
export const setUserDisabledAction = defineAction(
  {
    name: "setUserDisabled",
    input: ZSetUserDisabledInput,
    roles: ["admin"],
  },
  ({ viewer, input, meta }) => setUserDisabled(viewer, input, meta),
);
