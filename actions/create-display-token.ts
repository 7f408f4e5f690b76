"use server";

import { ZCreateDisplayTokenInput } from "@/lib/auth/schemas";
import { defineAction } from "@/server/action-client";
import { createDisplayToken } from "@/server/auth/display";

/** Creates a wall display token; its secret is in the result this once. */
export const createDisplayTokenAction = defineAction(
  {
    name: "createDisplayToken",
    input: ZCreateDisplayTokenInput,
    roles: ["admin"],
    company: (input) => input.companyCode,
  },
  ({ viewer, input, meta }) => createDisplayToken(viewer, input, meta),
);
