import { z } from "zod";

/** The channel identity presented in the WebSocket path `/msg/<base64url(JSON)>` (protocol.md §1). */
export const ZHandshake = z.object({
  agent_id: z.string().trim().min(1),
  company_code: z.string().trim().min(1),
  os: z.string().trim().min(1),
});
export type THandshake = z.infer<typeof ZHandshake>;

export function encodeHandshake(handshake: THandshake): string {
  return Buffer.from(JSON.stringify(handshake), "utf8").toString("base64url");
}

/** Accepts base64url and plain base64 (with or without padding); undefined when undecodable. */
export function decodeHandshake(segment: string): THandshake | undefined {
  let json: unknown;
  try {
    const text = Buffer.from(decodeURIComponent(segment), "base64url").toString("utf8");
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = ZHandshake.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

/** `ws://host:port` (or `wss://`) plus the handshake path. */
export function channelUrl(baseUrl: string, handshake: THandshake): string {
  return `${baseUrl.replace(/\/+$/, "")}/msg/${encodeHandshake(handshake)}`;
}

/** The company prefix of an agent or extension id (`90001_20000` → `90001`). */
export function companyOfId(id: string): string | undefined {
  const index = id.indexOf("_");
  return index > 0 ? id.slice(0, index) : undefined;
}
