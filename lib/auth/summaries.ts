import type { TDisplaySettings } from "@/lib/wall/types";
import type { TRole } from "./viewer";

/** A user as the admin pages list them (no password, no sessions). */
export interface TUserSummary {
  id: string;
  username: string;
  role: TRole;
  companyCode: string;
  allCompanies: boolean;
  ctiAgentId: string | null;
  ctiExtId: string | null;
  disabled: boolean;
  lockedUntil: Date | null;
  createdAt: Date;
}

/** A display token as the admin pages list them (its secret is never stored). */
export interface TDisplayTokenSummary {
  id: string;
  label: string;
  companyCode: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  status: "active" | "expired" | "revoked";
  /** The wall's rotation and sound. */
  display: TDisplaySettings;
}
