import "server-only";
import { z } from "zod";
import { appendAuditEvent } from "../audit/log";
import { refusalTally, type TRefusalCount } from "../state/refusal-tally";
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
  const { opened, closed } = await refusalTally(authConfig()).note(key, now);
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
