"use server";

import { ZCreateUserInput } from "@/lib/auth/schemas";
import { defineAction } from "@/server/action-client";
import { createUser } from "@/server/auth/users";

/** Creates an account in one of the admin's companies (all companies: only by an all-companies admin). */
export const createUserAction = defineAction(
  {
    name: "createUser",
    input: ZCreateUserInput,
    roles: ["admin"],
    company: (input) => input.companyCode,
  },
  ({ viewer, input, meta }) => createUser(viewer, input, meta),
);
