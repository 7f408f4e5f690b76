"use server";

import { ZUpdateUserInput } from "@/lib/auth/schemas";
import { defineAction } from "@/server/action-client";
import { updateUser } from "@/server/auth/users";

/** Changes a user's role, company and CTI link. */
export const updateUserAction = defineAction(
  {
    name: "updateUser",
    input: ZUpdateUserInput,
    roles: ["admin"],
    company: (input) => input.companyCode,
  },
  ({ viewer, input, meta }) => updateUser(viewer, input, meta),
);
