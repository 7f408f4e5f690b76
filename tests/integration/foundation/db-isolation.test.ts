import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "@/server/db";
import type { PrismaClient } from "@/generated/prisma/client";
import { migratedTempDatabase } from "../helpers/database";

/**
 * The process has one SQLite connection. A statement made outside a transaction while one is
 * open must behave as if it came from another connection: it never reads the transaction's
 * uncommitted rows, and a rollback of that transaction never takes its write away.
 */
describe("database isolation between a transaction and statements outside it", () => {
  let client: PrismaClient;

  beforeAll(() => {
    client = createPrismaClient(migratedTempDatabase("fw-isolation-"));
  });
  afterAll(async () => {
    await client.$disconnect();
  });

  /** Runs a transaction that writes `key`, lets `outside` start while it is open, then rolls back. */
  async function rolledBackAround<T>(key: string, outside: () => PromiseLike<T>): Promise<T> {
    let started!: Promise<T>;
    await expect(
      client.$transaction(async (tx) => {
        await tx.setting.create({ data: { key, value: "uncommitted" } });
        // Prisma's promises are lazy: `then` sends the statement, now, while the transaction is open.
        started = new Promise<T>((resolve, reject) => outside().then(resolve, reject));
        // Give the outside statement every chance to run before the rollback.
        await new Promise((resolve) => setTimeout(resolve, 50));
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    return started;
  }

  it("does not read a transaction's uncommitted row", async () => {
    const seen = await rolledBackAround("iso.dirty", () =>
      client.setting.findUnique({ where: { key: "iso.dirty" } }),
    );
    expect(seen).toBeNull();
    expect(await client.setting.findUnique({ where: { key: "iso.dirty" } })).toBeNull();
  });

  it("keeps a write made outside while a transaction rolls back", async () => {
    await rolledBackAround("iso.tx", () =>
      client.setting.create({ data: { key: "iso.outside", value: "kept" } }),
    );
    expect(await client.setting.findUnique({ where: { key: "iso.outside" } })).toMatchObject({
      value: "kept",
    });
    expect(await client.setting.findUnique({ where: { key: "iso.tx" } })).toBeNull();
  });

  it("lets transactions and outside statements interleave without losing either", async () => {
    const writes = Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0
        ? client.$transaction(async (tx) => {
            await tx.setting.create({ data: { key: `iso.many.${i}`, value: "tx" } });
          })
        : client.setting.create({ data: { key: `iso.many.${i}`, value: "outside" } }),
    );
    await Promise.all(writes);
    expect(await client.setting.count({ where: { key: { startsWith: "iso.many." } } })).toBe(20);
  });
});
