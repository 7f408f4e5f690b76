import "server-only";
import { services } from "../services";

/**
 * Drops every live socket of a user or display token (see TGateway.evict). Called by the auth
 * code when sessions end or rights change; a no-op before the app has started.
 */
export function evictPrincipal(kind: "user" | "display", id: string): void {
  services()?.gateway.evict(kind, id);
}
