import "server-only";
import type { Logger } from "pino";
import { db } from "../db";
import { flushRefusals } from "./refusals";

/**
 * Deletes user and display sessions past their expiry. They no longer let anyone in, but they
 * keep tokens, addresses and user agents that nobody needs.
 */
export async function purgeExpiredSessions(
  now: Date = new Date(),
): Promise<{ sessions: number; displaySessions: number }> {
  const where = { expiresAt: { lte: now } };
  const [sessions, displaySessions] = await db().$transaction([
    db().session.deleteMany({ where }),
    db().displaySession.deleteMany({ where }),
  ]);
  return { sessions: sessions.count, displaySessions: displaySessions.count };
}

/**
 * Periodic auth upkeep: writes the counts of closed refusal windows to the audit log and purges
 * expired sessions. Call once at the app's start; the returned function stops it and writes the
 * refusal counts still pending (call it at shutdown, before the database closes).
 */
export function startAuthHousekeeping(opts: {
  log: Logger;
  intervalMs?: number;
}): () => Promise<void> {
  const run = async () => {
    try {
      await flushRefusals(new Date());
      const purged = await purgeExpiredSessions();
      if (purged.sessions + purged.displaySessions > 0)
        opts.log.info(purged, "expired sessions purged");
    } catch (error) {
      opts.log.error({ err: error }, "auth housekeeping failed");
    }
  };
  let running = run();
  const timer = setInterval(() => {
    running = running.then(run);
  }, opts.intervalMs ?? 60_000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
    try {
      await flushRefusals();
    } catch (error) {
      // With Redis away the counts stay there, and the next node's housekeeping writes them.
      opts.log.error({ err: error }, "refusal counts not written at shutdown");
    }
  };
}
