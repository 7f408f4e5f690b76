import "server-only";
import { Prisma } from "@/generated/prisma/client";
import { dialect } from "../db";

/**
 * The raw SQL that differs between SQLite and PostgreSQL, in one place. Everything else we write
 * by hand is common to both: quoted identifiers, TRUE, WITH RECURSIVE, INSERT … RETURNING.
 */

/** The advisory lock that serialises audit appends on PostgreSQL (any constant; this one is ours). */
export const AUDIT_CHAIN_LOCK = 4_412_070_001;

/**
 * Takes the audit chain's lock in the transaction `tx`, held until it ends. The last event read
 * after it is the last one, and no other writer (connection, process or node) can append before
 * this transaction commits or rolls back, so events are chained in id order.
 *
 * SQLite: Prisma's BEGIN is deferred (a read takes no write lock), so an insert of nothing takes
 * the database's write lock, waiting for it (busy timeout) if another connection holds it.
 *
 * PostgreSQL: a transaction-level advisory lock. It must come before the read of the last hash
 * and the INSERT that draws the ids from the sequence, and the transaction must be READ
 * COMMITTED (Prisma's default), so the read after the wait sees what the previous holder
 * committed.
 */
export async function lockAuditChain(tx: Prisma.TransactionClient): Promise<void> {
  if (dialect() === "postgresql") {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${Prisma.raw(String(AUDIT_CHAIN_LOCK))})`;
  } else {
    await tx.$executeRaw`INSERT INTO "AuditEvent" ("type", "actorKind", "data") SELECT '', '', '' WHERE 1 = 0`;
  }
}

/**
 * SQLite's INDEXED BY: the query must use this index (and fails if it is gone). PostgreSQL has
 * no such hint: its planner chooses, from the same indexes.
 */
export function indexedBy(index: string): Prisma.Sql {
  return dialect() === "postgresql" ? Prisma.empty : Prisma.raw(`INDEXED BY "${index}"`);
}

/** 1-based position of `needle` in `column`'s text, 0 when absent. */
export function position(column: Prisma.Sql, needle: string): Prisma.Sql {
  return dialect() === "postgresql"
    ? Prisma.sql`strpos(${column}, ${needle})`
    : Prisma.sql`instr(${column}, ${needle})`;
}
