import "server-only";
import { randomBytes } from "node:crypto";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { username } from "better-auth/plugins/username";
import { z } from "zod";
import { db, dialect } from "../db";
import { loadConfig } from "../config";
import { authConfig } from "./config";
import { CLIENT_IP_HEADER } from "./request-meta";
import { PASSWORD_MAX, USERNAME_MAX } from "@/lib/auth/schemas";
import { COOKIE_PREFIX } from "@/lib/auth/http";

const SECRET_SETTING = "auth.secret";

/** AUTH_SECRET, or a random one generated on first start and kept in the settings table. */
async function sessionSecret(): Promise<string> {
  const fromEnv = authConfig().AUTH_SECRET;
  if (fromEnv) return fromEnv;
  const fresh = JSON.stringify(randomBytes(32).toString("base64url"));
  await db().setting.upsert({
    where: { key: SECRET_SETTING },
    create: { key: SECRET_SETTING, value: fresh },
    update: {},
  });
  const row = await db().setting.findUniqueOrThrow({ where: { key: SECRET_SETTING } });
  return z.string().min(32).parse(JSON.parse(row.value));
}

function createAuth(secret: string) {
  const config = loadConfig();
  return betterAuth({
    appName: "Floorwatch",
    baseURL: config.publicUrl,
    secret,
    database: prismaAdapter(db(), { provider: dialect() }),
    // Accounts are created by admins only (server/auth/users.ts): no self sign-up.
    emailAndPassword: { enabled: true, disableSignUp: true, maxPasswordLength: PASSWORD_MAX },
    plugins: [username({ maxUsernameLength: USERNAME_MAX })],
    session: {
      expiresIn: authConfig().SESSION_TTL_HOURS * 3600,
      // Absolute expiry: a shift's session ends on time, however active it was.
      disableSessionRefresh: true,
    },
    // Our own limiter and lockout (server/auth/sign-in.ts) cover every sign-in path.
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    advanced: {
      cookiePrefix: COOKIE_PREFIX,
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax", path: "/" },
    },
    trustedOrigins: authConfig().allowedOrigins,
  });
}

export type TAuth = ReturnType<typeof createAuth>;

let instance: Promise<TAuth> | undefined;

/** One better-auth instance per bundle; they share the database and the secret. */
export function getAuth(): Promise<TAuth> {
  instance ??= sessionSecret().then(createAuth);
  instance.catch(() => {
    instance = undefined;
  });
  return instance;
}
