import "server-only";
import type { TViewer } from "@/lib/auth/viewer";
import type { TCreateDisplayTokenInput, TUpdateDisplayTokenInput } from "@/lib/auth/schemas";
import type { TDisplayTokenSummary } from "@/lib/auth/summaries";
import { DEFAULT_DISPLAY_SETTINGS, type TDisplaySettings } from "@/lib/wall/types";
import { db } from "../db";
import { evictPrincipal } from "../realtime/evict";
import { appendAuditEvent, auditedChange } from "../audit/log";
import { authConfig } from "./config";
import { hashSecret, newId, newSecret } from "./tokens";
import { loginLimiter } from "../state/login-limiter";
import { actorOf, type TServiceResult } from "./service";
import { recordRefusal } from "./refusals";
import type { TRequestMeta } from "./request-meta";

function status(
  row: { expiresAt: Date | null; revokedAt: Date | null },
  now: Date,
): TDisplayTokenSummary["status"] {
  if (row.revokedAt) return "revoked";
  if (row.expiresAt && row.expiresAt <= now) return "expired";
  return "active";
}

/** Tokens of the companies `viewer` may see, newest first. */
export async function listDisplayTokens(viewer: TViewer): Promise<TDisplayTokenSummary[]> {
  const rows = await db().displayToken.findMany({
    where: viewer.companies === "all" ? {} : { companyCode: { in: viewer.companies } },
    orderBy: { createdAt: "desc" },
  });
  const now = new Date();
  return rows.map((row) => ({
    id: row.id,
    label: row.label,
    companyCode: row.companyCode,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    lastUsedAt: row.lastUsedAt,
    status: status(row, now),
    display: { rotateSeconds: row.rotateSeconds, sound: row.sound },
  }));
}

/** Creates a token; the secret is returned this once and only its hash is kept. */
export async function createDisplayToken(
  actor: TViewer,
  input: TCreateDisplayTokenInput,
  meta: TRequestMeta,
): Promise<TServiceResult<{ id: string; secret: string }>> {
  const secret = newSecret("fwd");
  const id = newId();
  const expiresAt = input.expiresInDays
    ? new Date(Date.now() + input.expiresInDays * 86_400_000)
    : null;
  const display: TDisplaySettings = {
    rotateSeconds: input.rotateSeconds ?? DEFAULT_DISPLAY_SETTINGS.rotateSeconds,
    sound: input.sound ?? DEFAULT_DISPLAY_SETTINGS.sound,
  };
  await auditedChange(
    {
      type: "display_token.created",
      data: {
        tokenId: id,
        label: input.label,
        companyCode: input.companyCode,
        expiresAt: expiresAt?.toISOString() ?? null,
        display,
      },
      actor: actorOf(actor),
      companyCode: input.companyCode,
      ...meta,
    },
    (tx) =>
      tx.displayToken.create({
        data: {
          id,
          label: input.label,
          companyCode: input.companyCode,
          secretHash: hashSecret(secret),
          createdById: actor.id,
          expiresAt,
          ...display,
        },
      }),
  );
  return { ok: true, data: { id, secret } };
}

/**
 * Changes a token's wall settings (rotation, sound), audited with before and after. A revoked
 * token may be changed too (nothing uses it). The wall reads them from /api/wall/<company>.
 */
export async function updateDisplayToken(
  actor: TViewer,
  input: TUpdateDisplayTokenInput,
  meta: TRequestMeta,
): Promise<TServiceResult<{ id: string; display: TDisplaySettings }>> {
  const token = await db().displayToken.findUnique({ where: { id: input.tokenId } });
  if (!token) return { ok: false, code: "token_not_found" };
  if (actor.companies !== "all" && !actor.companies.includes(token.companyCode))
    return { ok: false, code: "forbidden_company" };
  const before: TDisplaySettings = { rotateSeconds: token.rotateSeconds, sound: token.sound };
  const after: TDisplaySettings = { rotateSeconds: input.rotateSeconds, sound: input.sound };
  await auditedChange(
    {
      type: "display_token.updated",
      data: { ...tokenRef(token), before, after },
      actor: actorOf(actor),
      companyCode: token.companyCode,
      ...meta,
    },
    (tx) => tx.displayToken.update({ where: { id: token.id }, data: after }),
  );
  return { ok: true, data: { id: token.id, display: after } };
}

/** A display token's wall settings; the defaults when it no longer exists. */
export async function displaySettings(tokenId: string): Promise<TDisplaySettings> {
  const token = await db().displayToken.findUnique({
    where: { id: tokenId },
    select: { rotateSeconds: true, sound: true },
  });
  return token ?? DEFAULT_DISPLAY_SETTINGS;
}

/** Revokes a token and ends every display session opened with it. */
export async function revokeDisplayToken(
  actor: TViewer,
  tokenId: string,
  meta: TRequestMeta,
): Promise<TServiceResult<{ id: string }>> {
  const token = await db().displayToken.findUnique({ where: { id: tokenId } });
  if (!token) return { ok: false, code: "token_not_found" };
  if (actor.companies !== "all" && !actor.companies.includes(token.companyCode))
    return { ok: false, code: "forbidden_company" };
  if (!token.revokedAt) {
    await auditedChange(
      {
        type: "display_token.revoked",
        data: { tokenId, label: token.label, companyCode: token.companyCode },
        actor: actorOf(actor),
        companyCode: token.companyCode,
        ...meta,
      },
      async (tx) => {
        await tx.displayToken.update({ where: { id: tokenId }, data: { revokedAt: new Date() } });
        await tx.displaySession.deleteMany({ where: { tokenId } });
      },
    );
    evictPrincipal("display", tokenId);
  }
  return { ok: true, data: { id: tokenId } };
}

/** Renewing a display session writes to the database at most this often. */
const RENEW_STEP_MS = 3_600_000;
/** Browsers keep a cookie at most 400 days; the server's sliding expiry decides before that. */
const COOKIE_MAX_SECONDS = 400 * 86_400;

/** A display session's expiry from `now`: the idle lifetime, never past its token's expiry. */
function slidingExpiry(now: Date, token: { expiresAt: Date | null }): Date {
  const idle = now.getTime() + authConfig().DISPLAY_SESSION_TTL_DAYS * 86_400_000;
  return new Date(Math.min(idle, token.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY));
}

/**
 * Enrols one device: trades a display token for its one display session (the token leaves the
 * address bar; the browser keeps only the session cookie). A token is exchanged once: a second
 * exchange is refused and audited (an admin issues a new token for another device). Failures
 * count against the caller's address like failed sign-ins.
 */
export async function exchangeDisplayToken(
  secret: string,
  meta: TRequestMeta,
): Promise<TServiceResult<{ sessionSecret: string; maxAgeSeconds: number }>> {
  const limiter = loginLimiter(authConfig());
  const attempt = { address: meta.ip ?? "unknown" };
  const claim = await limiter.claim(attempt);
  if (!claim.ok) {
    await recordRefusal("display_link", meta);
    return { ok: false, code: "rate_limited" };
  }
  const now = new Date();
  const token =
    secret.length <= 128
      ? await db().displayToken.findUnique({ where: { secretHash: hashSecret(secret) } })
      : null;
  if (!token || status(token, now) !== "active") return refuseExchange("token_invalid", meta);
  const expiresAt = slidingExpiry(now, token);
  const sessionSecret = newSecret("fws");
  const enrolled = await db().$transaction(async (tx) => {
    // The enrolment is claimed atomically: of two concurrent exchanges, one wins.
    const claimed = await tx.displayToken.updateMany({
      where: { id: token.id, enrolledAt: null },
      data: { enrolledAt: now, lastUsedAt: now },
    });
    if (claimed.count === 0) return false;
    await tx.displaySession.create({
      data: {
        id: newId(),
        tokenId: token.id,
        secretHash: hashSecret(sessionSecret),
        expiresAt,
        ipAddress: meta.ip,
        userAgent: meta.userAgent,
      },
    });
    await appendAuditEvent(
      {
        type: "display_session.started",
        data: tokenRef(token),
        actor: { kind: "display", id: token.id, name: token.label },
        companyCode: token.companyCode,
        ...meta,
      },
      tx,
    );
    return true;
  });
  if (!enrolled) return refuseExchange("token_used", meta, token);
  await limiter.release(attempt);
  const tokenLeft = token.expiresAt ? (token.expiresAt.getTime() - now.getTime()) / 1000 : Infinity;
  return {
    ok: true,
    data: {
      sessionSecret,
      maxAgeSeconds: Math.max(1, Math.floor(Math.min(tokenLeft, COOKIE_MAX_SECONDS))),
    },
  };
}

function tokenRef(token: { id: string; label: string; companyCode: string }) {
  return { tokenId: token.id, label: token.label, companyCode: token.companyCode };
}

/** A refused exchange, audited; a reused token is its company's business. */
async function refuseExchange(
  reason: "token_invalid" | "token_used",
  meta: TRequestMeta,
  token?: { companyCode: string },
): Promise<TServiceResult<never>> {
  await appendAuditEvent({
    type: "display_session.refused",
    data: { reason },
    actor: { kind: "anonymous" },
    companyCode: token?.companyCode ?? null,
    ...meta,
  });
  return { ok: false, code: reason };
}

/**
 * The display behind a session cookie, or null once it expired or its token was revoked. Use
 * renews the session (sliding expiry): a wall that stays on stays signed in.
 */
export async function displayViewer(sessionSecret: string): Promise<TViewer | null> {
  if (sessionSecret.length > 128) return null;
  const session = await db().displaySession.findUnique({
    where: { secretHash: hashSecret(sessionSecret) },
    include: { token: true },
  });
  const now = new Date();
  if (!session || session.expiresAt <= now || status(session.token, now) !== "active") return null;
  let expiresAt = session.expiresAt;
  const renewed = slidingExpiry(now, session.token);
  if (renewed.getTime() - expiresAt.getTime() > RENEW_STEP_MS) {
    await db().displaySession.update({ where: { id: session.id }, data: { expiresAt: renewed } });
    expiresAt = renewed;
  }
  return {
    kind: "display",
    id: session.token.id,
    name: session.token.label,
    role: "display",
    companies: [session.token.companyCode],
    sessionExpiresAt: expiresAt.getTime(),
  };
}

/** Ends one display session (the wall's sign-out), audited; the token it was opened with. */
export async function endDisplaySession(
  sessionSecret: string,
  meta: TRequestMeta,
): Promise<{ tokenId: string } | null> {
  if (sessionSecret.length > 128) return null;
  const session = await db().displaySession.findUnique({
    where: { secretHash: hashSecret(sessionSecret) },
    include: { token: true },
  });
  if (!session) return null;
  const { token } = session;
  await auditedChange(
    {
      type: "display_session.ended",
      data: tokenRef(token),
      actor: { kind: "display", id: token.id, name: token.label },
      companyCode: token.companyCode,
      ...meta,
    },
    (tx) => tx.displaySession.deleteMany({ where: { id: session.id } }),
  );
  return { tokenId: token.id };
}
