import "server-only";
import type { TAuditActor } from "@/lib/audit/events";
import type { TViewer } from "@/lib/auth/viewer";

export type { TServiceResult } from "../action-client";

export function actorOf(viewer: TViewer): TAuditActor {
  return { kind: viewer.kind, id: viewer.id, name: viewer.name };
}
