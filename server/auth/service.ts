import type { TAuditActor } from "@/lib/audit/events";
import type { TAuthErrorCode } from "@/lib/auth/errors";
import type { TViewer } from "@/lib/auth/viewer";

/** What the auth services return: data, or an error code the caller turns into a message. */
export type TServiceResult<T> = { ok: true; data: T } | { ok: false; code: TAuthErrorCode };

export function actorOf(viewer: TViewer): TAuditActor {
  return { kind: viewer.kind, id: viewer.id, name: viewer.name };
}
