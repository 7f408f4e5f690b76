import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { prepareAuthEnvironment } from "./harness";

prepareAuthEnvironment({ TRUST_PROXY: "1", AUTH_IP_MAX_FAILURES: "30" });

const { signIn } = await import("@/server/auth/sign-in");
const { requestMeta, stampClientIp } = await import("@/server/auth/request-meta");
const { readAuditEvents } = await import("@/server/audit/log");

/** A request as it reaches us through one proxy that appends the address it saw. */
function throughProxy(clientWrote: string, proxySaw: string): Headers {
  const req = {
    headers: { "x-forwarded-for": `${clientWrote}, ${proxySaw}`, "user-agent": "vitest" },
    socket: { remoteAddress: "127.0.0.1" },
  } as unknown as IncomingMessage;
  stampClientIp(req);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) headers.set(name, String(value));
  return headers;
}

describe("[AUTH] one trusted proxy (TRUST_PROXY=1)", () => {
  it("fake first hops neither escape the address limit nor reach the audit log", async () => {
    const codes: string[] = [];
    for (let i = 0; i < 35; i += 1) {
      const headers = throughProxy(`203.0.113.${i}`, "198.51.100.7");
      const result = await signIn(
        { username: `nobody${i}`, password: "wrong" },
        headers,
        requestMeta(headers),
      );
      codes.push(result.ok ? "ok" : result.code);
    }
    expect(codes.filter((c) => c === "rate_limited").length).toBeGreaterThanOrEqual(5);
    const { events } = await readAuditEvents({ companies: "all", limit: 500 });
    expect(events.some((e) => e.ip?.startsWith("203.0.113."))).toBe(false);
    expect(events.some((e) => e.ip === "198.51.100.7")).toBe(true);
  });
});
