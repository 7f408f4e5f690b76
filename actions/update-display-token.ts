"use server";

import { ZUpdateDisplayTokenInput } from "@/lib/auth/schemas";
import { defineAction } from "@/server/action-client";
import { updateDisplayToken } from "@/server/auth/display";

/** Changes a display token's wall settings (page rotation, sound); audited. */
export const updateDisplayTokenAction = defineAction(
  {
    name: "updateDisplayToken",
    input: ZUpdateDisplayTokenInput,
    roles: ["admin"],
  },
  ({ viewer, input, meta }) => updateDisplayToken(viewer, input, meta),
);
