import "server-only";
import { isAPIError } from "better-auth/api";
import type { TSignInInput } from "@/lib/auth/schemas";
import type { TViewer } from "@/lib/auth/viewer";
import { LOGIN_FAILURE_REASONS } from "@/lib/audit/events";
import { appendAuditEvent } from "../audit/log";
import { db } from "../db";
import { getAuth } from "./better-auth";
import { authConfig } from "./config";
import { displayCookieHeader, DISPLAY_COOKIE, readCookie } from "./cookies";
import { evictPrincipal } from "../realtime/evict";
import { endDisplaySession } from "./display";
import { ipFailures } from "./rate-limit";
import type { TRequestMeta } from "./request-meta";
import { actorOf, type TServiceResult } from "./service";
import { userViewer } from "./users";

/** Cookies to set on the response (session, or its removal). */
export interface TCookieChange {
  setCookies: string[];
}

type TFailure = (typeof LOGIN_FAILURE_REASONS)[number];

async function refuse(
  reason: TFailure,
  username: string,
  meta: TRequestMeta,
  user?: { id: string; companyCode: string },
): Promise<TServiceResult<never>> {
  await appendAuditEvent({
    type: "login.failed",
    data: { username: username.slice(0, 64), reason, ...(user ? { userId: user.id } : {}) },
    actor: { kind: "anonymous" },
    companyCode: user?.companyCode ?? null,
    ...meta,
  });
  return { ok: false, code: reason === "disabled" ? "invalid_credentials" : reason };
}

/**
 * Username + password sign-in, the one path every entry point uses: per-IP failure limit,
 * per-account lockout after consecutive failures, better-auth for the password check (scrypt)
 * and the database session, every outcome audited.
 */
export async function signIn(
  input: TSignInInput,
  headers: Headers,
  meta: TRequestMeta,
): Promise<TServiceResult<TCookieChange & { viewer: TViewer }>> {
  const config = authConfig();
  const limiter = ipFailures(config.AUTH_IP_MAX_FAILURES, config.AUTH_IP_WINDOW_MINUTES * 60_000);
  const ipKey = meta.ip ?? "unknown";
  if (limiter.blocked(ipKey)) return refuse("rate_limited", input.username, meta);

  const username = input.username.toLowerCase();
  const user = await db().user.findUnique({ where: { username } });
  const now = new Date();
  if (user?.lockedUntil && user.lockedUntil > now)
    return refuse("account_locked", username, meta, user);

  const result =
    user && !user.disabled ? await checkPassword(username, input.password, headers) : undefined;
  if (!result || !user) {
    limiter.record(ipKey);
    if (!user) return refuse("invalid_credentials", username, meta);
    if (user.disabled) return refuse("disabled", username, meta, user);
    const counted = await db().user.update({
      where: { id: user.id },
      data: { failedLogins: { increment: 1 } },
    });
    if (counted.failedLogins >= config.AUTH_MAX_FAILED_LOGINS) {
      await db().user.update({
        where: { id: user.id },
        data: {
          failedLogins: 0,
          lockedUntil: new Date(now.getTime() + config.AUTH_LOCKOUT_MINUTES * 60_000),
        },
      });
      return refuse("account_locked", username, meta, user);
    }
    return refuse("invalid_credentials", username, meta, user);
  }

  const viewer = userViewer(user);
  const token = result.token;
  try {
    if (!viewer) throw new Error(`user ${user.id} has no valid role`);
    await db().user.update({
      where: { id: user.id },
      data: { failedLogins: 0, lockedUntil: null },
    });
    await appendAuditEvent({
      type: "login.succeeded",
      data: { userId: user.id, username },
      actor: actorOf(viewer),
      companyCode: user.companyCode,
      ...meta,
    });
  } catch (error) {
    // No session without its audit record.
    await db().session.deleteMany({ where: { token } });
    throw error;
  }
  return { ok: true, data: { viewer, setCookies: result.setCookies } };
}

/** better-auth's username sign-in: checks the scrypt hash and creates the database session. */
async function checkPassword(
  username: string,
  password: string,
  headers: Headers,
): Promise<{ token: string; setCookies: string[] } | undefined> {
  const auth = await getAuth();
  try {
    const result = await auth.api.signInUsername({
      body: { username, password, rememberMe: true },
      headers,
      returnHeaders: true,
    });
    return { token: result.response.token, setCookies: result.headers.getSetCookie() };
  } catch (error) {
    // Wrong password or malformed username: a refusal. Anything else (database down) propagates.
    if (isAPIError(error)) return undefined;
    throw error;
  }
}

/** Ends the caller's session (user or display) and clears its cookie; audited for users. */
export async function signOut(
  viewer: TViewer | null,
  headers: Headers,
  meta: TRequestMeta,
): Promise<TCookieChange> {
  const displaySecret = readCookie(headers.get("cookie"), DISPLAY_COOKIE);
  const setCookies: string[] = [];
  if (displaySecret) {
    const ended = await endDisplaySession(displaySecret);
    setCookies.push(displayCookieHeader("", 0));
    // A socket is authorized once, at its handshake: without this it would stream on.
    if (ended) evictPrincipal("display", ended.tokenId);
  }
  if (viewer?.kind === "user") {
    await appendAuditEvent({
      type: "logout",
      data: { userId: viewer.id, username: viewer.name },
      actor: actorOf(viewer),
      companyCode:
        viewer.companies === "all" ? await homeCompany(viewer.id) : (viewer.companies[0] ?? null),
      ...meta,
    });
  }
  const auth = await getAuth();
  const result = await auth.api.signOut({ headers, returnHeaders: true });
  setCookies.push(...result.headers.getSetCookie());
  // Every socket of the user goes, not only this session's (the gateway tags sockets by
  // principal); the user's other browsers reconnect with their still-valid sessions.
  if (viewer?.kind === "user") evictPrincipal("user", viewer.id);
  return { setCookies };
}

async function homeCompany(userId: string): Promise<string | null> {
  const row = await db().user.findUnique({ where: { id: userId }, select: { companyCode: true } });
  return row?.companyCode ?? null;
}
