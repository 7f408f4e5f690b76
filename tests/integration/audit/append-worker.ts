/**
 * Another writer process for the chain tests: appends `rounds` × `perRound` events to
 * DATABASE_URL (each round concurrently, so through the group commit), then exits 0.
 * Usage: node --import ./server/runtime.mjs tests/integration/audit/append-worker.ts <label> <rounds> <perRound>
 */
import { appendAuditEvent } from "@/server/audit/log";
import { configureDatabase, db } from "@/server/db";

const [label = "worker", rounds = "10", perRound = "20"] = process.argv.slice(2);
await configureDatabase();
for (let round = 0; round < Number(rounds); round++) {
  await Promise.all(
    Array.from({ length: Number(perRound) }, (_, i) =>
      appendAuditEvent({
        type: "logout",
        data: { userId: `${label}-${round}-${i}`, username: label },
        actor: { kind: "system", name: label },
        companyCode: null,
        ip: null,
        userAgent: null,
      }),
    ),
  );
}
await db().$disconnect();
