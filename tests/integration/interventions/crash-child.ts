/**
 * A Floorwatch process that starts an intervention and stays between REQUESTED and its outcome
 * (the CTI never answers), for the kill -9 test. Env: DATABASE_URL, CTI_PORT, COMPANY, TARGET,
 * CALL_UUID, SUPERVISOR_AGENT. Prints `{"event":"sent"}` once the intervention is recorded as sent.
 */
import pino from "pino";
import { createApp } from "@/server/app";
import { loadAuthConfig } from "@/server/auth/config";
import { loadConfig } from "@/server/config";

const env = {
  ...process.env,
  PORT: "0",
  HOST: "127.0.0.1",
  AUTH_SECRET: "integration-test-secret-0123456789abcdef",
  CTI_REQUEST_TIMEOUT_MS: "60000",
  POLL_INTERVAL_MS: "300",
};
const company = process.env.COMPANY!;
const port = Number(process.env.CTI_PORT);
const app = createApp({
  config: loadConfig(env),
  authConfig: loadAuthConfig(env),
  log: pino({ level: "silent" }),
  cti: {
    url: `ws://127.0.0.1:${port}`,
    httpUrl: `http://127.0.0.1:${port}`,
    companies: [{ companyCode: company, monitorAgentId: `${company}_monitor` }],
  },
  process: { version: "test", mode: "external-cti" },
  seedAccounts: false,
});
await app.start();
const viewer = {
  kind: "user" as const,
  id: "u-crash",
  name: "crash",
  role: "supervisor" as const,
  companies: [company],
  ctiAgentId: process.env.SUPERVISOR_AGENT!,
};
const meta = { ip: null, userAgent: null };
const { interventions, floor } = app.services;
while (floor.store(company)?.agent(process.env.TARGET!)?.uuid !== process.env.CALL_UUID) {
  await new Promise((resolve) => setTimeout(resolve, 50));
}
const linked = await interventions.seats.link(viewer, { password: "Aa123321.", force: true }, meta);
if (!linked.ok) throw new Error(`seat not linked: ${linked.code}`);
void interventions.pipeline.run(
  "interrupt_call",
  viewer,
  {
    companyCode: company,
    targetAgentId: process.env.TARGET!,
    callUuid: process.env.CALL_UUID!,
    reason: "crash test",
    idempotencyKey: crypto.randomUUID(),
  },
  meta,
);
for (;;) {
  const row = await app.services.db.intervention.findFirst({ where: { stage: "sent" } });
  if (row) break;
  await new Promise((resolve) => setTimeout(resolve, 20));
}
process.stdout.write(`${JSON.stringify({ event: "sent" })}\n`);
