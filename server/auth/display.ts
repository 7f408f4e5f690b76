import "server-only";
import type { TViewer } from "@/lib/auth/viewer";
import type { TCreateDisplayTokenInput } from "@/lib/auth/schemas";
import type { TDisplayTokenSummary } from "@/lib/auth/summaries";
import { db } from "../db";
import { evictPrincipal } from "../realtime/evict";
import { appendAuditEvent } from "../audit/log";
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
  await db().$transaction(async (tx) => {
    await tx.displayToken.create({
      data: {
        id,
        label: input.label,
        companyCode: input.companyCode,
        secretHash: hashSecret(secret),
        createdById: actor.id,
        expiresAt,
      },
    });
    await appendAuditEvent(
      {
        type: "display_token.created",
        data: {
          tokenId: id,
          label: input.label,
          companyCode: input.companyCode,
          expiresAt: expiresAt?.toISOString() ?? null,
        },
        actor: actorOf(actor),
        companyCode: input.companyCode,
        ...meta,
      },
      tx,
    );
  });
  return { ok: true, data: { id, secret } };
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
    await db().$transaction(async (tx) => {
      await tx.displayToken.update({ where: { id: tokenId }, data: { revokedAt: new Date() } });
      await tx.displaySession.deleteMany({ where: { tokenId } });
      await appendAuditEvent(
        {
          type: "display_token.revoked",
          data: { tokenId, label: token.label, companyCode: token.companyCode },
          actor: actorOf(actor),
          companyCode: token.companyCode,
          ...meta,
        },
        tx,
      );
    });
    evictPrincipal("display", tokenId);
  }
  return { ok: true, data: { id: tokenId } };
}

/**
 * Trades a display token for a display session (the token leaves the address bar; the browser
 * keeps only the session cookie). Failures count against the caller's IP like failed sign-ins.
 */
export async function exchangeDisplayToken(
  secret: string,
  meta: TRequestMeta,
): Promise<TServiceResult<{ sessionSecret: string; maxAgeSeconds: number }>> {
  const config = authConfig();
  const limiter = loginLimiter(config);
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
  if (!token || status(token, now) !== "active") {
    await appendAuditEvent({
      type: "display_session.refused",
      data: { reason: "token_invalid" },
      actor: { kind: "anonymous" },
      companyCode: null,
      ...meta,
    });
    return { ok: false, code: "token_invalid" };
  }
  await limiter.release(attempt);
  const ttl = config.DISPLAY_SESSION_TTL_DAYS * 86_400_000;
  const expiresAt = new Date(
    Math.min(now.getTime() + ttl, token.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY),
  );
  const sessionSecret = newSecret("fws");
  await db().$transaction(async (tx) => {
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
    await tx.displayToken.update({ where: { id: token.id }, data: { lastUsedAt: now } });
    await appendAuditEvent(
      {
        type: "display_session.started",
        data: { tokenId: token.id, label: token.label, companyCode: token.companyCode },
        actor: { kind: "display", id: token.id, name: token.label },
        companyCode: token.companyCode,
        ...meta,
      },
      tx,
    );
  });
  return {
    ok: true,
    data: {
      sessionSecret,
      maxAgeSeconds: Math.max(1, Math.floor((expiresAt.getTime() - now.getTime()) / 1000)),
    },
  };
}

/** The display behind a session cookie, or null once it expired or its token was revoked. */
export async function displayViewer(sessionSecret: string): Promise<TViewer | null> {
  if (sessionSecret.length > 128) return null;
  const session = await db().displaySession.findUnique({
    where: { secretHash: hashSecret(sessionSecret) },
    include: { token: true },
  });
  const now = new Date();
  if (!session || session.expiresAt <= now || status(session.token, now) !== "active") return null;
  return {
    kind: "display",
    id: session.token.id,
    name: session.token.label,
    role: "display",
    companies: [session.token.companyCode],
    sessionExpiresAt: session.expiresAt.getTime(),
  };
}

/** Ends one display session (the wall's sign-out); the token it was opened with, if any. */
export async function endDisplaySession(
  sessionSecret: string,
): Promise<{ tokenId: string } | null> {
  if (sessionSecret.length > 128) return null;
  const session = await db().displaySession.findUnique({
    where: { secretHash: hashSecret(sessionSecret) },
    select: { id: true, tokenId: true },
  });
  if (!session) return null;
  await db().displaySession.deleteMany({ where: { id: session.id } });
  return { tokenId: session.tokenId };
}
