/** Where to go after signing in: a same-site path only (never `//host` or a full URL). */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || next.length > 512) return "/";
  if (!/^\/(?![/\\])[\w\-./?=&%]*$/.test(next)) return "/";
  if (next.startsWith("/login") || next.startsWith("/logout")) return "/";
  return next;
}
