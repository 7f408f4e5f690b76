import "server-only";
import type { IncomingMessage } from "node:http";
import { BlockList, isIP } from "node:net";
import { authConfig, type TAuthConfig } from "./config";

/** Set by server/index.ts on every request from the socket's address; a client's own value is overwritten. */
export const CLIENT_IP_HEADER = "x-floorwatch-client-ip";

/** Where a request came from, for the audit log and the sign-in rate limit. */
export interface TRequestMeta {
  ip: string | null;
  userAgent: string | null;
}

/** Which hops of X-Forwarded-For to believe: a count from the right, or the proxies' addresses. */
export type TProxyTrust = { kind: "hops"; hops: number } | { kind: "listed"; proxies: BlockList };

export function proxyTrust(
  config: Pick<TAuthConfig, "TRUST_PROXY" | "TRUSTED_PROXIES">,
): TProxyTrust {
  if (config.TRUSTED_PROXIES.length === 0) return { kind: "hops", hops: config.TRUST_PROXY };
  const proxies = new BlockList();
  for (const entry of config.TRUSTED_PROXIES) {
    const [address = "", prefix] = entry.split("/");
    const type = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (prefix === undefined) proxies.addAddress(address, type);
    else proxies.addSubnet(address, Number(prefix), type);
  }
  return { kind: "listed", proxies };
}

/** `::ffff:10.0.0.1` (an IPv4 client on a dual-stack socket) is `10.0.0.1`. */
function plain(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped?.[1] ?? address;
}

function isTrusted(address: string, trust: TProxyTrust): boolean {
  if (trust.kind !== "listed") return false;
  const family = isIP(address);
  return family !== 0 && trust.proxies.check(address, family === 6 ? "ipv6" : "ipv4");
}

/**
 * The client's address. Only the entries our own proxies appended can be believed: the client
 * writes whatever it likes to the left of them. Walk from the socket's address leftwards over
 * the trusted hops; an entry that is not an address stops the walk at the hop that passed it on.
 */
export function clientAddress(
  remoteAddress: string | undefined,
  forwardedFor: string | undefined,
  trust: TProxyTrust,
): string | undefined {
  if (remoteAddress === undefined) return undefined;
  const chain = [
    ...(forwardedFor ?? "").split(",").map((entry) => plain(entry.trim())),
    plain(remoteAddress),
  ].filter((entry) => entry !== "");
  let index = chain.length - 1;
  let hops = 0;
  while (index > 0) {
    const more = trust.kind === "hops" ? hops < trust.hops : isTrusted(chain[index] ?? "", trust);
    if (!more || isIP(chain[index - 1] ?? "") === 0) break;
    index -= 1;
    hops += 1;
  }
  return chain[index];
}

let trustOfConfig: { config: TAuthConfig; trust: TProxyTrust } | undefined;

/** Stamps the client's address on the raw request before Next.js sees it. */
export function stampClientIp(req: IncomingMessage): void {
  const config = authConfig();
  if (trustOfConfig?.config !== config) trustOfConfig = { config, trust: proxyTrust(config) };
  const forwarded = req.headers["x-forwarded-for"];
  const ip = clientAddress(
    req.socket.remoteAddress,
    Array.isArray(forwarded) ? forwarded.join(",") : forwarded,
    trustOfConfig.trust,
  );
  if (ip) req.headers[CLIENT_IP_HEADER] = ip;
  else delete req.headers[CLIENT_IP_HEADER];
}

export function requestMeta(headers: Headers): TRequestMeta {
  return {
    ip: headers.get(CLIENT_IP_HEADER)?.slice(0, 64) ?? null,
    userAgent: headers.get("user-agent")?.slice(0, 512) ?? null,
  };
}
