import "server-only";
import { z } from "zod";
import {
  ZAuditEvent,
  ZAuditEventInput,
  type TAuditEvent,
  type TAuditEventInput,
} from "@/lib/audit/events";
import type { Prisma } from "@/generated/prisma/client";
import { db } from "../db";

/**
 * The audit log: append and read, nothing else (the table's triggers refuse UPDATE and DELETE).
 * A write that fails throws: the caller's operation must fail with it. Pass the transaction of
 * the change being audited so that both commit or neither does.
 */
export async function appendAuditEvent(
  event: TAuditEventInput,
  client: Prisma.TransactionClient = db(),
): Promise<{ id: number; at: Date }> {
  const valid = ZAuditEventInput.parse(event);
  const row = await client.auditEvent.create({
    data: {
      type: valid.type,
      actorKind: valid.actor.kind,
      actorId: valid.actor.id ?? null,
      actorName: valid.actor.name ?? null,
      companyCode: valid.companyCode,
      ip: valid.ip,
      userAgent: valid.userAgent,
      data: JSON.stringify(valid.data),
    },
    select: { id: true, at: true },
  });
  return row;
}

/**
 * Runs a change and appends its audit event in one transaction: both commit or neither does,
 * and a failed audit write fails the change.
 */
export async function auditedChange<T>(
  event: TAuditEventInput,
  change: (tx: Prisma.TransactionClient) => Promise<T>,
): Promise<T> {
  return db().$transaction(async (tx) => {
    const result = await change(tx);
    await appendAuditEvent(event, tx);
    return result;
  });
}

export const ZAuditFilter = z.object({
  /** The reader's companies ("all" for an admin of every company). */
  companies: z.union([z.literal("all"), z.array(z.string()).min(1)]),
  types: z.array(z.string()).optional(),
  /** Events with a smaller id than this (paging backwards). */
  beforeId: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(500).default(100),
  /**
   * A company-scoped read leaves out events by or about all-companies users (their sign-ins
   * carry IP and user agent): a company admin must not read the audit of a wider reach.
   */
  hideWiderReach: z.boolean().default(true),
});
export type TAuditFilter = z.input<typeof ZAuditFilter>;

export interface TAuditPage {
  events: TAuditEvent[];
  /** Rows that no longer match their schema: reported, never silently dropped. */
  invalid: { id: number; type: string; issue: string }[];
}

/** Newest first. Every row is validated again; a row that fails is listed in `invalid`. */
export async function readAuditEvents(filter: TAuditFilter): Promise<TAuditPage> {
  const f = ZAuditFilter.parse(filter);
  const hidden = f.companies !== "all" && f.hideWiderReach ? await widerReachUserIds() : [];
  const rows = await db().auditEvent.findMany({
    where: {
      ...(f.companies === "all" ? {} : { companyCode: { in: f.companies } }),
      ...(hidden.length > 0 ? { AND: hidden.map(notByOrAbout) } : {}),
      ...(f.types ? { type: { in: f.types } } : {}),
      ...(f.beforeId ? { id: { lt: f.beforeId } } : {}),
    },
    orderBy: { id: "desc" },
    take: f.limit,
  });
  const page: TAuditPage = { events: [], invalid: [] };
  for (const row of rows) {
    const parsed = ZAuditEvent.safeParse({
      id: row.id,
      at: row.at,
      type: row.type,
      actor: {
        kind: row.actorKind,
        ...(row.actorId === null ? {} : { id: row.actorId }),
        ...(row.actorName === null ? {} : { name: row.actorName }),
      },
      companyCode: row.companyCode,
      ip: row.ip,
      userAgent: row.userAgent,
      data: parseJson(row.data),
    });
    if (parsed.success) page.events.push(parsed.data);
    else
      page.invalid.push({
        id: row.id,
        type: row.type,
        issue: parsed.error.issues[0]?.message ?? "invalid",
      });
  }
  return page;
}

async function widerReachUserIds(): Promise<string[]> {
  const rows = await db().user.findMany({ where: { allCompanies: true }, select: { id: true } });
  return rows.map((row) => row.id);
}

/** Neither done by the user nor about them (`data` is written by JSON.stringify: no spaces). */
function notByOrAbout(userId: string): Prisma.AuditEventWhereInput {
  return {
    OR: [{ actorId: null }, { actorId: { not: userId } }],
    NOT: { data: { contains: `"userId":${JSON.stringify(userId)}` } },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
