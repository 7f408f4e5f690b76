/**
 * `npm run audit:verify [-- --anchor <id>:<hash>] [--processes <n>]`: verifies the audit chain of
 * DATABASE_URL, records the run in AuditVerification and prints a one-line JSON summary. Exit
 * code 0 when the chain is intact, 1 when an event does not match (named in the summary), 2 when
 * it could not run. --anchor: an event id and hash from an earlier run's summary, kept
 * elsewhere; the run fails if that event is gone or changed (docs/audit.md). --processes: how
 * many processes walk the log (default: one per core, up to 4, from 100,000 events).
 */
import "server-only";
import { configureDatabase, db } from "../db";
import { recordVerification } from "./verifications";
import { verifyAuditChain, type TVerifyOptions } from "./verify";

class UsageError extends Error {}

function parseArgs(argv: string[]): TVerifyOptions {
  const options: TVerifyOptions = { processes: "auto" };
  for (let i = 0; i < argv.length; i += 2) {
    const value = argv[i + 1] ?? "";
    if (argv[i] === "--anchor" && /^\d{1,15}:[0-9a-f]{64}$/.test(value)) {
      const [id, hash] = value.split(":");
      options.anchor = { id: Number(id), hash: hash! };
    } else if (argv[i] === "--processes" && /^[1-9]$/.test(value)) {
      options.processes = Number(value);
    } else {
      throw new UsageError(
        "usage: npm run audit:verify [-- --anchor <id>:<sha-256 hex>] [--processes <1-9>]",
      );
    }
  }
  return options;
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  await configureDatabase();
  const result = await verifyAuditChain(options);
  await recordVerification(result);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  if (result.firstBad) process.stderr.write(`audit:verify: ${result.firstBad.message}\n`);
  return result.ok ? 0 : 1;
}

main()
  .catch((error: unknown) => {
    process.stderr.write(
      `audit:verify: ${error instanceof UsageError ? error.message : error instanceof Error ? error.stack : String(error)}\n`,
    );
    return 2;
  })
  .then(async (code) => {
    await db().$disconnect();
    process.exit(code);
  });
