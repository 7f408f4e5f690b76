import "server-only";
import { randomBytes } from "node:crypto";
import { isAPIError } from "better-auth/api";
import { hashPassword, verifyPassword } from "better-auth/crypto";
import type { TSignInInput } from "@/lib/auth/schemas";
import type { TViewer } from "@/lib/auth/viewer";
import { LOGIN_FAILURE_REASONS } from "@/lib/audit/events";
import { appendAuditEvent } from "../audit/log";
import { db } from "../db";
import { accountKey, loginLimiter, type TLoginAttempt } from "../state/login-limiter";
import { getAuth } from "./better-auth";
import { authConfig } from "./config";
import { displayCookieHeader, DISPLAY_COOKIE, readCookie } from "./cookies";
import { evictPrincipal } from "../realtime/evict";
import { services } from "../services";
import { endDisplaySession } from "./display";
import { recordRefusal } from "./refusals";
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
 * Username + password sign-in, the one path every entry point uses. The attempt is counted
 * against the address, the account from that address and the account as a whole before the
 * password is checked (server/state/login-limiter.ts; policy in docs/security.md), so concurrent
 * attempts never pass a limit. Unknown and disabled usernames get the same work and the same
 * answers as a wrong password. better-auth checks the password (scrypt) and makes the database
 * session; every outcome is audited.
 */
export async function signIn(
  input: TSignInInput,
  headers: Headers,
  meta: TRequestMeta,
): Promise<TServiceResult<TCookieChange & { viewer: TViewer }>> {
  const username = input.username.toLowerCase();
  const user = await db().user.findUnique({ where: { username } });
  const attempt: TLoginAttempt = {
    address: meta.ip ?? "unknown",
    account: {
      key: accountKey(username, user?.credentialVersion ?? 0),
      knownSource: user ? await isKnownSource(user.id, meta.ip) : false,
    },
  };
  const limiter = loginLimiter(authConfig());
  const claim = await limiter.claim(attempt);
  if (!claim.ok && claim.reason === "rate_limited") {
    await recordRefusal("sign_in", meta);
    return { ok: false, code: "rate_limited" };
  }
  if (!claim.ok) return refuse(claim.reason, username, meta, user ?? undefined);

  const result =
    user && !user.disabled
      ? await checkPassword(username, input.password, headers)
      : await burnPasswordCheck(input.password);
  if (!result || !user) {
    const code = claim.lastChance ? "account_locked" : "invalid_credentials";
    const reason = user?.disabled ? "disabled" : code;
    await refuse(reason, username, meta, user ?? undefined);
    return { ok: false, code };
  }

  await limiter.release(attempt);
  const viewer = userViewer(user);
  const token = result.token;
  try {
    if (!viewer) throw new Error(`user ${user.id} has no valid role`);
    if (meta.ip) await rememberSource(user.id, meta.ip);
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

async function isKnownSource(userId: string, ip: string | null): Promise<boolean> {
  if (!ip) return false;
  const row = await db().signInSource.findUnique({ where: { userId_ip: { userId, ip } } });
  return row !== null;
}

async function rememberSource(userId: string, ip: string): Promise<void> {
  const now = new Date();
  await db().signInSource.upsert({
    where: { userId_ip: { userId, ip } },
    create: { userId, ip, lastSuccessAt: now },
    update: { lastSuccessAt: now },
  });
}

/** A hash of a random password, made once: what unknown usernames are checked against. */
let dummyHash: Promise<string> | undefined;

/**
 * The same scrypt work as a real check, for a username that does not exist or is disabled, so
 * the answer's timing does not tell them apart. Always a refusal.
 */
async function burnPasswordCheck(password: string): Promise<undefined> {
  dummyHash ??= hashPassword(randomBytes(18).toString("base64url"));
  await verifyPassword({ hash: await dummyHash, password });
  return undefined;
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
    const ended = await endDisplaySession(displaySecret, meta);
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
  if (viewer?.kind === "user") {
    evictPrincipal("user", viewer.id);
    // The supervisor's seat ends with signing out: checked out, never left checked in.
    await services()?.interventions.seats.unlink(viewer.id, meta, "signed_out");
  }
  return { setCookies };
}

async function homeCompany(userId: string): Promise<string | null> {
  const row = await db().user.findUnique({ where: { id: userId }, select: { companyCode: true } });
  return row?.companyCode ?? null;
}
