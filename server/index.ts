import "server-only";
import next from "next";
import { createApp } from "./app";
import { ConfigError, loadConfig } from "./config";
import { loadAuthConfig } from "./auth/config";
import { logger } from "./log";
import { ensureBuilt, migrateDatabase, processVersion } from "./build";
import { startEmbeddedCti, type EmbeddedCti } from "./embedded-cti";

const log = logger();

/** `npm start`: build if needed, migrate, start the simulator unless CTI_URL is set, then the app. */
async function main(): Promise<void> {
  const config = loadConfig();
  const authConfig = loadAuthConfig();
  const dev = config.NODE_ENV === "development";
  if (!dev && !config.SKIP_BUILD) await ensureBuilt(log);
  await migrateDatabase(log);

  let embedded: EmbeddedCti | undefined;
  if (config.embeddedSimulator) {
    embedded = await startEmbeddedCti(
      {
        ...process.env,
        SIM_PORT: String(config.SIM_PORT),
        SIM_HOST: config.SIM_HOST,
        SIM_CONTROL_PORT: String(config.SIM_CONTROL_PORT),
        SIM_COMPANIES: config.SIM_COMPANIES,
      },
      log,
    );
  }
  const ctiUrl = embedded ? `ws://127.0.0.1:${embedded.port}` : config.ctiUrl;
  const version = processVersion(process.cwd(), dev);

  const web = next({ dev, dir: process.cwd(), hostname: config.HOST, port: config.PORT });
  const handle = web.getRequestHandler();
  await web.prepare();

  const app = createApp({
    config,
    authConfig,
    log,
    cti: {
      url: ctiUrl,
      httpUrl: embedded ? ctiUrl.replace(/^ws/, "http") : config.ctiHttpUrl,
      // With the embedded simulator, watch exactly the companies it reports.
      companies: embedded
        ? embedded.companies.map((companyCode) => ({
            companyCode,
            monitorAgentId: `${companyCode}_monitor`,
          }))
        : config.companies,
    },
    process: { version, mode: embedded ? "embedded-simulator" : "external-cti" },
    web: (req, res) => void handle(req, res),
  });
  const { port } = await app.start();
  log.info({ port, cti: ctiUrl, companies: app.services.cti.companies() }, "floorwatch listening");
  process.stdout.write(
    `\n  Floorwatch is running: open ${config.PUBLIC_URL ?? `http://localhost:${port}`}\n\n`,
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await app.stop();
    await embedded?.stop();
    await app.services.db.$disconnect();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    log.fatal({ err: error }, "floorwatch failed to start");
  }
  process.exit(1);
});
