import "server-only";
import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import { auditedChange } from "../audit/log";
import { db } from "../db";
import { evictPrincipal } from "../realtime/evict";
import { authConfig } from "./config";
import { insertUser, type TNewUser } from "./users";

const SYSTEM = { kind: "system" as const, name: "first start" };
const NO_REQUEST = { ip: null, userAgent: null };

/**
 * First start: creates the admin (ADMIN_PASSWORD, or a generated password printed once) when
 * no admin exists. With the embedded simulator, also the demo accounts (demo only: their
 * password is DEMO_PASSWORD, documented in docs/auth.md); without it, the demo accounts are
 * disabled. Other existing accounts are never changed.
 */
export async function seedAccounts(opts: {
  companies: string[];
  embeddedSimulator: boolean;
  log: Logger;
  print?: (text: string) => void;
}): Promise<void> {
  const config = authConfig();
  const print = opts.print ?? ((text: string) => process.stdout.write(text));
  const home = opts.companies[0];
  if (!home) throw new Error("no company configured: cannot seed accounts");

  const admins = await db().user.count({ where: { role: "admin" } });
  if (admins === 0) {
    const taken = await db().user.findUnique({
      where: { username: config.ADMIN_USERNAME.toLowerCase() },
    });
    if (taken) {
      opts.log.error(
        { username: config.ADMIN_USERNAME },
        "no admin exists and ADMIN_USERNAME is taken by another account",
      );
    } else {
      const password = config.ADMIN_PASSWORD ?? randomBytes(12).toString("base64url");
      await insertUser(
        {
          username: config.ADMIN_USERNAME,
          password,
          role: "admin",
          companyCode: home,
          allCompanies: true,
        },
        SYSTEM,
        NO_REQUEST,
      );
      opts.log.info({ username: config.ADMIN_USERNAME }, "admin account created");
      if (!config.ADMIN_PASSWORD) {
        print(
          `\n  Admin account created: ${config.ADMIN_USERNAME} / ${password}\n` +
            "  This password is shown once. Sign in and keep it safe (or set ADMIN_PASSWORD before the first start).\n\n",
        );
      }
    }
  }

  if (!opts.embeddedSimulator) {
    await disableDemoAccounts(opts.log);
    return;
  }
  for (const demo of demoAccounts(opts.companies, config.DEMO_PASSWORD)) {
    const exists = await db().user.findUnique({ where: { username: demo.username } });
    if (exists) continue;
    await insertUser(demo, SYSTEM, NO_REQUEST);
    opts.log.info(
      { username: demo.username, company: demo.companyCode },
      "demo account created (embedded simulator only)",
    );
  }
}

/**
 * Against a real CTI the demo accounts, whose password is documented, must not let anyone in:
 * they are disabled and their sessions ended at every such start (an admin may enable one again
 * after setting a new password; the next start disables it again). Said loudly in the log.
 */
async function disableDemoAccounts(log: Logger): Promise<void> {
  const demos = await db().user.findMany({ where: { demo: true } });
  if (demos.length === 0) return;
  const enabled = demos.filter((user) => !user.disabled);
  for (const user of enabled) {
    await auditedChange(
      {
        type: "user.disabled",
        data: { userId: user.id, username: user.username ?? user.name },
        actor: { kind: "system", name: "demo accounts off: real CTI" },
        companyCode: user.companyCode,
        ...NO_REQUEST,
      },
      async (tx) => {
        await tx.user.update({ where: { id: user.id }, data: { disabled: true } });
        await tx.session.deleteMany({ where: { userId: user.id } });
      },
    );
    evictPrincipal("user", user.id);
  }
  log.warn(
    { demoAccounts: demos.map((user) => user.username), disabledNow: enabled.length },
    "demo accounts are disabled: CTI_URL is set, so the embedded simulator and its documented demo password are not in use. Delete these accounts, or give them a new password before enabling them (every start against a real CTI disables them again)",
  );
}

/** The simulator's agent `<company>_20004` is a supervisor on every simulated floor. */
export function demoAccounts(companies: string[], password: string): TNewUser[] {
  const company = companies.includes("90001") ? "90001" : companies[0];
  if (!company) return [];
  const seat = `${company}_20004`;
  return [
    {
      username: "supervisor",
      password,
      role: "supervisor",
      companyCode: company,
      allCompanies: false,
      ctiAgentId: seat,
      ctiExtId: seat,
      demo: true,
    },
    {
      username: "viewer",
      password,
      role: "viewer",
      companyCode: company,
      allCompanies: false,
      demo: true,
    },
  ];
}
