import "server-only";
import { hashPassword } from "better-auth/crypto";
import type { Prisma, User } from "@/generated/prisma/client";
import type {
  TCreateUserInput,
  TResetPasswordInput,
  TSetUserDisabledInput,
  TUpdateUserInput,
} from "@/lib/auth/schemas";
import { canAccessCompany, ZRole, type TRole, type TViewer } from "@/lib/auth/viewer";
import type { TUserSummary } from "@/lib/auth/summaries";
import type { TAuditEventInput } from "@/lib/audit/events";
import { auditedChange } from "../audit/log";
import { db } from "../db";
import { evictPrincipal } from "../realtime/evict";
import { accountKey, loginLimiter } from "../state/login-limiter";
import { authConfig } from "./config";
import type { TRequestMeta } from "./request-meta";
import { actorOf, type TServiceResult } from "./service";
import { newId } from "./tokens";

/** The viewer a user row stands for; null when disabled or its role is unknown. */
export function userViewer(row: User): TViewer | null {
  const role = ZRole.safeParse(row.role);
  if (row.disabled || !role.success) return null;
  return {
    kind: "user",
    id: row.id,
    name: row.username ?? row.name,
    role: role.data,
    companies: role.data === "admin" && row.allCompanies ? "all" : [row.companyCode],
    ...(row.ctiAgentId ? { ctiAgentId: row.ctiAgentId } : {}),
    ...(row.ctiExtId ? { ctiExtId: row.ctiExtId } : {}),
  };
}

function summary(row: User, lockedUntil: Date | null = null): TUserSummary {
  return {
    id: row.id,
    username: row.username ?? row.name,
    role: ZRole.catch("viewer").parse(row.role),
    companyCode: row.companyCode,
    allCompanies: row.allCompanies,
    ctiAgentId: row.ctiAgentId,
    ctiExtId: row.ctiExtId,
    disabled: row.disabled,
    lockedUntil,
    createdAt: row.createdAt,
  };
}

function settings(
  row: Pick<User, "role" | "companyCode" | "allCompanies" | "ctiAgentId" | "ctiExtId">,
) {
  return {
    role: ZRole.catch("viewer").parse(row.role),
    companyCode: row.companyCode,
    allCompanies: row.allCompanies,
    ctiAgentId: row.ctiAgentId,
    ctiExtId: row.ctiExtId,
  };
}

/**
 * Which user rows `viewer` may see and manage: those of their companies whose reach is not wider
 * than theirs. A company admin must not reach an all-companies user: resetting its password
 * would hand over every company.
 */
function managedWhere(viewer: TViewer): Prisma.UserWhereInput {
  if (viewer.companies === "all") return {};
  return { companyCode: { in: viewer.companies }, allCompanies: false };
}

/** The users an admin may manage: see managedWhere (everyone for an all-companies admin). */
export async function listUsers(viewer: TViewer): Promise<TUserSummary[]> {
  const rows = await db().user.findMany({
    where: managedWhere(viewer),
    orderBy: [{ companyCode: "asc" }, { username: "asc" }],
  });
  // "Locked" is the account-wide lock (to addresses the user never signed in from).
  const limiter = loginLimiter(authConfig());
  return Promise.all(
    rows.map(async (row) =>
      summary(
        row,
        await limiter.accountLockedUntil(
          accountKey(row.username ?? row.name, row.credentialVersion),
        ),
      ),
    ),
  );
}

/** An admin may grant only the companies they have; "all companies" only if they have it. */
function mayAssign(actor: TViewer, input: { companyCode: string; allCompanies: boolean }): boolean {
  if (input.allCompanies && actor.companies !== "all") return false;
  return canAccessCompany(actor, input.companyCode);
}

/** The target of an admin's change, if the admin may manage it (managedWhere). */
async function managedUser(actor: TViewer, userId: string): Promise<TServiceResult<User>> {
  const row = await db().user.findUnique({ where: { id: userId } });
  if (!row) return { ok: false, code: "user_not_found" };
  const managed = await db().user.count({ where: { id: userId, ...managedWhere(actor) } });
  if (managed === 0) return { ok: false, code: "forbidden_company" };
  return { ok: true, data: row };
}

export interface TNewUser {
  username: string;
  password: string;
  role: TRole;
  companyCode: string;
  allCompanies: boolean;
  ctiAgentId?: string | undefined;
  ctiExtId?: string | undefined;
  /** A demo account of the embedded simulator (server/auth/seed.ts). */
  demo?: boolean;
}

/** Writes a user and their credential account, audited in the same transaction. */
export async function insertUser(
  user: TNewUser,
  actor: TAuditEventInput["actor"],
  meta: TRequestMeta,
): Promise<string> {
  const id = newId();
  const username = user.username.toLowerCase();
  const passwordHash = await hashPassword(user.password);
  const fields = {
    role: user.role,
    companyCode: user.companyCode,
    allCompanies: user.allCompanies,
    ctiAgentId: user.ctiAgentId ?? null,
    ctiExtId: user.ctiExtId ?? null,
  };
  await auditedChange(
    {
      type: "user.created",
      data: { userId: id, username, settings: fields },
      actor,
      companyCode: user.companyCode,
      ...meta,
    },
    async (tx) => {
      await tx.user.create({
        data: {
          id,
          name: username,
          username,
          displayUsername: user.username,
          email: `${username}@users.floorwatch.invalid`,
          demo: user.demo ?? false,
          ...fields,
        },
      });
      await tx.account.create({
        data: {
          id: newId(),
          accountId: id,
          providerId: "credential",
          userId: id,
          password: passwordHash,
        },
      });
    },
  );
  return id;
}

export async function createUser(
  actor: TViewer,
  input: TCreateUserInput,
  meta: TRequestMeta,
): Promise<TServiceResult<{ id: string }>> {
  if (!mayAssign(actor, input)) return { ok: false, code: "forbidden_company" };
  const taken = await db().user.findUnique({ where: { username: input.username.toLowerCase() } });
  if (taken) return { ok: false, code: "username_taken" };
  const id = await insertUser(input, actorOf(actor), meta);
  return { ok: true, data: { id } };
}

export async function updateUser(
  actor: TViewer,
  input: TUpdateUserInput,
  meta: TRequestMeta,
): Promise<TServiceResult<{ id: string }>> {
  const target = await managedUser(actor, input.userId);
  if (!target.ok) return target;
  if (!mayAssign(actor, input)) return { ok: false, code: "forbidden_company" };
  // Admins cannot demote or move themselves: the last admin would lock everyone out.
  if (target.data.id === actor.id) return { ok: false, code: "cannot_change_self" };
  const after = settings({
    ...input,
    ctiAgentId: input.ctiAgentId ?? null,
    ctiExtId: input.ctiExtId ?? null,
  });
  await auditedChange(
    {
      type: "user.updated",
      data: {
        userId: target.data.id,
        username: summary(target.data).username,
        before: settings(target.data),
        after,
      },
      ...byAdmin(actor, target.data.companyCode, meta),
    },
    (tx) => tx.user.update({ where: { id: input.userId }, data: after }),
  );
  // Open sockets were authorized with the old role and company: make them sign in again.
  evictPrincipal("user", input.userId);
  return { ok: true, data: { id: input.userId } };
}

/** Disabling ends the user's sessions at once; their audit history stays. */
export async function setUserDisabled(
  actor: TViewer,
  input: TSetUserDisabledInput,
  meta: TRequestMeta,
): Promise<TServiceResult<{ id: string }>> {
  const target = await managedUser(actor, input.userId);
  if (!target.ok) return target;
  if (target.data.id === actor.id) return { ok: false, code: "cannot_change_self" };
  await auditedChange(
    {
      type: input.disabled ? "user.disabled" : "user.enabled",
      data: { userId: target.data.id, username: summary(target.data).username },
      ...byAdmin(actor, target.data.companyCode, meta),
    },
    async (tx) => {
      await tx.user.update({ where: { id: input.userId }, data: { disabled: input.disabled } });
      if (input.disabled) await tx.session.deleteMany({ where: { userId: input.userId } });
    },
  );
  if (input.disabled) evictPrincipal("user", input.userId);
  return { ok: true, data: { id: input.userId } };
}

/** Who, for which company, from where: the fields every admin change's audit event carries. */
function byAdmin(actor: TViewer, companyCode: string, meta: TRequestMeta) {
  return { actor: actorOf(actor), companyCode, ...meta };
}

/** Sets a new password, lifts a lockout and ends the user's sessions. */
export async function resetPassword(
  actor: TViewer,
  input: TResetPasswordInput,
  meta: TRequestMeta,
): Promise<TServiceResult<{ id: string }>> {
  const target = await managedUser(actor, input.userId);
  if (!target.ok) return target;
  if (target.data.id === actor.id) return { ok: false, code: "cannot_change_self" };
  const passwordHash = await hashPassword(input.password);
  await auditedChange(
    {
      type: "user.password_reset",
      data: { userId: target.data.id, username: summary(target.data).username },
      ...byAdmin(actor, target.data.companyCode, meta),
    },
    async (tx) => {
      const updated = await tx.account.updateMany({
        where: { userId: input.userId, providerId: "credential" },
        data: { password: passwordHash },
      });
      if (updated.count === 0) {
        await tx.account.create({
          data: {
            id: newId(),
            accountId: input.userId,
            providerId: "credential",
            userId: input.userId,
            password: passwordHash,
          },
        });
      }
      // New limit counters for the account: the reset lifts every lock on it.
      await tx.user.update({
        where: { id: input.userId },
        data: { credentialVersion: { increment: 1 } },
      });
      await tx.session.deleteMany({ where: { userId: input.userId } });
    },
  );
  evictPrincipal("user", input.userId);
  return { ok: true, data: { id: input.userId } };
}
