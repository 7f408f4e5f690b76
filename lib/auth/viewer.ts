import { z } from "zod";

/**
 * Who is looking. `display` is a wall display signed in with a display token: read-only, one
 * company, numbers masked. The contract every entry point (pages, route handlers, server
 * actions, the Socket.IO handshake) checks against.
 */
export const ROLES = ["viewer", "supervisor", "admin"] as const;
export const ZRole = z.enum(ROLES);
export type TRole = z.infer<typeof ZRole>;

export const ZViewer = z.object({
  kind: z.enum(["user", "display"]),
  /** User id, or display token id for a display. */
  id: z.string(),
  /** Username, or the display token's label. */
  name: z.string(),
  role: z.enum(["viewer", "supervisor", "admin", "display"]),
  /** The companies this viewer may see; "all" only for admins given every company. */
  companies: z.union([z.literal("all"), z.array(z.string()).min(1)]),
  /** The supervisor's own CTI agent and extension, for the seat channel. */
  ctiAgentId: z.string().optional(),
  ctiExtId: z.string().optional(),
  /** Epoch ms the session behind this viewer ends (sockets are cut then). */
  sessionExpiresAt: z.number().optional(),
});
export type TViewer = z.infer<typeof ZViewer>;

export function canAccessCompany(viewer: TViewer, companyCode: string): boolean {
  return viewer.companies === "all" || viewer.companies.includes(companyCode);
}

/** Force hang-up and take over (with their own CTI seat): supervisors and admins. */
export function canIntervene(viewer: TViewer): boolean {
  return viewer.kind === "user" && (viewer.role === "supervisor" || viewer.role === "admin");
}

/** Customer numbers in full; viewers and displays get them masked, on the server. */
export function canSeeFullNumbers(viewer: TViewer): boolean {
  return viewer.kind === "user" && (viewer.role === "supervisor" || viewer.role === "admin");
}

/** `13107618845` → `131****8845`; short numbers keep their last two digits only. */
export function maskNumber(number: string): string {
  const digits = number.trim();
  if (digits.length >= 11) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  if (digits.length >= 7) return `${digits.slice(0, 2)}***${digits.slice(-2)}`;
  if (digits.length <= 2) return "*".repeat(digits.length);
  return `${"*".repeat(digits.length - 2)}${digits.slice(-2)}`;
}
