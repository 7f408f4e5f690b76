import { describe, expect, it } from "vitest";
import {
  channelUrl,
  companyOfId,
  decodeHandshake,
  encodeHandshake,
} from "@/lib/protocol/handshake";
import { parseAgentStatus, parseSubStatus } from "@/lib/protocol/states";

describe("handshake", () => {
  const handshake = { agent_id: "90001_20000", company_code: "90001", os: "Windows" };

  it("round-trips through base64url", () => {
    const segment = encodeHandshake(handshake);
    expect(segment).not.toMatch(/[+/=]/);
    expect(decodeHandshake(segment)).toEqual(handshake);
  });

  it("accepts padded standard base64 too", () => {
    const padded = Buffer.from(JSON.stringify(handshake)).toString("base64");
    expect(decodeHandshake(padded)).toEqual(handshake);
  });

  it("rejects undecodable or incomplete handshakes", () => {
    expect(decodeHandshake("%%%")).toBeUndefined();
    expect(decodeHandshake(Buffer.from("not json").toString("base64url"))).toBeUndefined();
    expect(decodeHandshake(encodeHandshake({ ...handshake, os: "" }))).toBeUndefined();
    const missing = Buffer.from(JSON.stringify({ agent_id: "90001_20000", os: "x" })).toString(
      "base64url",
    );
    expect(decodeHandshake(missing)).toBeUndefined();
  });

  it("builds the channel URL without doubled slashes", () => {
    expect(channelUrl("ws://127.0.0.1:25001/", handshake)).toBe(
      `ws://127.0.0.1:25001/msg/${encodeHandshake(handshake)}`,
    );
  });

  it("finds the company prefix of an id", () => {
    expect(companyOfId("90001_20000")).toBe("90001");
    expect(companyOfId("20000")).toBeUndefined();
    expect(companyOfId("_20000")).toBeUndefined();
  });
});

describe("statuses", () => {
  it("reads names in any case and with spaces, and the digits of old examples", () => {
    expect(parseAgentStatus(" calling ")).toBe("CALLING");
    expect(parseAgentStatus("1")).toBe("FREE");
    expect(parseAgentStatus(6)).toBe("ARRANGE");
    expect(parseAgentStatus("LUNCH")).toBeUndefined();
    expect(parseAgentStatus(null)).toBeUndefined();
    expect(parseSubStatus("three_way")).toBe("THREE_WAY");
    expect(parseSubStatus("NAP")).toBeUndefined();
  });
});
