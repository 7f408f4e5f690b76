import { describe, expect, it } from "vitest";
import { loadAuthConfig } from "@/server/auth/config";
import { ConfigError } from "@/server/config";
import { clientAddress, proxyTrust } from "@/server/auth/request-meta";

const env = (extra: Partial<Record<string, string>>): NodeJS.ProcessEnv => ({
  NODE_ENV: "test",
  DATABASE_URL: "file:/tmp/x.db",
  ...extra,
});
const trust = (extra: Partial<Record<string, string>>) => proxyTrust(loadAuthConfig(env(extra)));

describe("[AUTH] client address behind proxies", () => {
  it("without TRUST_PROXY the socket's address is the client, whatever X-Forwarded-For says", () => {
    expect(clientAddress("10.0.0.5", "1.2.3.4", trust({}))).toBe("10.0.0.5");
  });

  it("TRUST_PROXY=1 takes the entry the one proxy appended (rightmost), not the client's own", () => {
    const one = trust({ TRUST_PROXY: "1" });
    expect(clientAddress("127.0.0.1", "6.6.6.6, 198.51.100.7", one)).toBe("198.51.100.7");
    expect(clientAddress("127.0.0.1", "198.51.100.7", one)).toBe("198.51.100.7");
    expect(clientAddress("127.0.0.1", undefined, one)).toBe("127.0.0.1");
    // "true" keeps its old meaning of one proxy.
    expect(
      clientAddress("127.0.0.1", "6.6.6.6, 198.51.100.7", trust({ TRUST_PROXY: "true" })),
    ).toBe("198.51.100.7");
  });

  it("TRUST_PROXY=<n> counts n proxies from the right; a short chain gives its leftmost entry", () => {
    const two = trust({ TRUST_PROXY: "2" });
    expect(clientAddress("10.0.0.2", "6.6.6.6, 198.51.100.7, 10.0.0.1", two)).toBe("198.51.100.7");
    expect(clientAddress("10.0.0.2", "198.51.100.7", two)).toBe("198.51.100.7");
  });

  it("an entry that is not an address is not believed: the proxy that passed it on is the client", () => {
    expect(clientAddress("127.0.0.1", "6.6.6.6, <script>", trust({ TRUST_PROXY: "1" }))).toBe(
      "127.0.0.1",
    );
  });

  it("TRUSTED_PROXIES skips listed addresses and CIDRs from the right", () => {
    const listed = trust({ TRUSTED_PROXIES: "10.0.0.0/8, 192.0.2.1, 2001:db8::/32" });
    expect(clientAddress("10.1.2.3", "6.6.6.6, 198.51.100.7, 192.0.2.1", listed)).toBe(
      "198.51.100.7",
    );
    expect(clientAddress("::ffff:10.1.2.3", "198.51.100.7", listed)).toBe("198.51.100.7");
    expect(clientAddress("2001:db8::1", "2001:db8::2, 203.0.113.9", listed)).toBe("203.0.113.9");
    // A direct client that is not a listed proxy: X-Forwarded-For is its own writing.
    expect(clientAddress("198.51.100.8", "6.6.6.6", listed)).toBe("198.51.100.8");
  });

  it("refuses settings it cannot use at start", () => {
    for (const bad of [
      { TRUST_PROXY: "yes" },
      { TRUST_PROXY: "-1" },
      { TRUSTED_PROXIES: "10.0.0.0/33" },
      { TRUSTED_PROXIES: "proxy.internal" },
      { TRUST_PROXY: "1", TRUSTED_PROXIES: "10.0.0.1" },
    ])
      expect(() => loadAuthConfig(env(bad)), JSON.stringify(bad)).toThrow(ConfigError);
  });
});
