import "server-only";
import { cookies } from "next/headers";
import { parseSetCookieHeader, toCookieOptions } from "better-auth/cookies";

/** Applies `Set-Cookie` values (from better-auth or the display session) inside a server action. */
export async function applySetCookies(setCookies: readonly string[]): Promise<void> {
  const store = await cookies();
  for (const header of setCookies) {
    for (const [name, attributes] of parseSetCookieHeader(header)) {
      store.set(name, attributes.value, toCookieOptions(attributes));
    }
  }
}
