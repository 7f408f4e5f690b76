import "server-only";
import { createHash, randomBytes } from "node:crypto";

/** A random secret (256 bits) with a recognisable prefix, e.g. `fwd_…` for display tokens. */
export function newSecret(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString("base64url")}`;
}

/** Secrets are random and long, so a plain SHA-256 is enough to store them (no KDF needed). */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

export function newId(): string {
  return randomBytes(16).toString("hex");
}
