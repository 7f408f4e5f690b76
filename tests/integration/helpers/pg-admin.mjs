// Creates a PostgreSQL database for a test file, from the run's migrated template, from a
// synchronous caller (execFileSync): node tests/integration/helpers/pg-admin.mjs <admin url> <name> [template]
import pg from "pg";

const [adminUrl, name, template] = process.argv.slice(2);
const client = new pg.Client({ connectionString: adminUrl });
await client.connect();
try {
  const from = template ? ` TEMPLATE ${pg.escapeIdentifier(template)}` : "";
  // Copying a template fails while another session is connected to it: retry briefly.
  for (let attempt = 0; ; attempt++) {
    try {
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}${from}`);
      break;
    } catch (error) {
      if (attempt >= 50 || error.code !== "55006") throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
} finally {
  await client.end();
}
