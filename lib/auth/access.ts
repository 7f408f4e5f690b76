import type { TAuthErrorCode } from "./errors";
import { canAccessCompany, type TViewer } from "./viewer";

/** Roles a page, route or action admits when it does not say: signed-in users, never displays. */
export const USER_ROLES: readonly TViewer["role"][] = ["viewer", "supervisor", "admin"];

export interface TAccessRule {
  roles?: readonly TViewer["role"][] | undefined;
  /** The company the resource belongs to; the viewer must have access to it. */
  company?: string | undefined;
}

/** Why `viewer` may not go on, or null when it may. */
export function accessRefusal(
  viewer: TViewer | null,
  rule: TAccessRule = {},
): TAuthErrorCode | null {
  if (!viewer) return "unauthenticated";
  if (!(rule.roles ?? USER_ROLES).includes(viewer.role)) return "forbidden_role";
  if (rule.company !== undefined && !canAccessCompany(viewer, rule.company))
    return "forbidden_company";
  return null;
}
