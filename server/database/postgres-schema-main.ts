/**
 * `npm run db:postgres-schema`: writes prisma/postgres/schema.prisma from prisma/schema.prisma;
 * then generate both clients (`npm run db:generate`). tests/unit/foundation/postgres-schema.test.ts
 * fails while the file is out of date.
 */
import { writeFileSync } from "node:fs";
import { expectedPostgresSchema, POSTGRES_SCHEMA } from "./postgres-schema";

writeFileSync(POSTGRES_SCHEMA, expectedPostgresSchema());
process.stdout.write(`wrote ${POSTGRES_SCHEMA}\n`);
