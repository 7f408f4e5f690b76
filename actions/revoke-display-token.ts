"use server";

import { ZRevokeDisplayTokenInput } from "@/lib/auth/schemas";
import { defineAction } from "@/server/action-client";
import { revokeDisplayToken } from "@/server/auth/display";

/** Revokes a display token; walls using it lose their session at once. */
export const revokeDisplayTokenAction = defineAction(
  {
    name: "revokeDisplayToken",
    input: ZRevokeDisplayTokenInput,
    roles: ["admin"],
  },
  ({ viewer, input, meta }) => revokeDisplayToken(viewer, input.tokenId, meta),
);
