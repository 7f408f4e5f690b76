import "server-only";
import { z } from "zod";
import { appendAuditEvent } from "../audit/log";
import { logger } from "../log";
import { refusalTally, type TRefusalCount } from "../state/refusal-tally";
import { SharedStateError } from "../state/shared-state-error";
import { authConfig } from "./config";
import type { TRequestMeta } from "./request-meta";

const ZChannel = z.enum(["sign_in", "display_link"]);
type TChannel = z.infer<typeof ZChannel>;
const ZRefusalKey = z.tuple([ZChannel, z.string().nullable()]);

/**
 * An attempt refused because its address is over its limit. An attacker can send these as fast
 * as the server answers, so they are audited in aggregate: the first of a window at once, the
 * rest as one row with their count when the window closes (flushRefusals).
 */
export async function recordRefusal(channel: TChannel, meta: TRequestMeta): Promise<void> {
  const now = new Date();
  const key = JSON.stringify([channel, meta.ip]);
  const noted = await note(key, now);
  if (!noted) return;
  const { opened, closed } = noted;
  if (closed) await writeCount(closed);
  if (opened)
    await appendAuditEvent({
      type: "rate_limit.refused",
      data: { channel, count: 1, since: now.toISOString() },
      actor: { kind: "anonymous" },
      companyCode: null,
      ...meta,
    });
}

/** Whether Redis was away at the last refusal: its loss is logged once, not once per request. */
let tallyDown = false;

/**
 * Counts the refusal; with several nodes the tally is in Redis, and while Redis is away the
 * refusal stands but is not counted (the attempt was still refused by the per-node limits).
 */
async function note(
  key: string,
  now: Date,
): Promise<{ opened: boolean; closed: TRefusalCount | null } | undefined> {
  try {
    const noted = await refusalTally(authConfig()).note(key, now);
    tallyDown = false;
    return noted;
  } catch (error) {
    if (!(error instanceof SharedStateError)) throw error;
    if (!tallyDown) logger().warn({ err: error }, "refused attempts not counted: Redis away");
    tallyDown = true;
    return undefined;
  }
}

/** Writes the counts of windows that have closed (all of them when stopping: no `now`). */
export async function flushRefusals(now?: Date): Promise<void> {
  for (const count of await refusalTally(authConfig()).drain(now)) await writeCount(count);
}

async function writeCount(count: TRefusalCount): Promise<void> {
  const [channel, ip] = ZRefusalKey.parse(JSON.parse(count.key));
  await appendAuditEvent({
    type: "rate_limit.refused",
    data: { channel, count: count.count, since: count.since.toISOString() },
    actor: { kind: "anonymous" },
    companyCode: null,
    ip,
    userAgent: null,
  });
}
