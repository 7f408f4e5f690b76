import { describe, expect, it } from "vitest";
import { decodeFrame, normalizeRecord, readInt, readString } from "@/lib/protocol/normalize";

describe("decodeFrame", () => {
  it("trims stray spaces in keys and msg_type (protocol §2)", () => {
    const result = decodeFrame('{" msg_type":" interrupt_call", " agent_status":"FREE"}');
    expect(result).toEqual({
      ok: true,
      frame: { msg_type: "interrupt_call", agent_status: "FREE" },
    });
  });

  it('drops "" and null as absent', () => {
    const result = decodeFrame(
      '{"msg_type":"call","max_ring_time":"","rest_min":null,"out_line":0}',
    );
    expect(result).toEqual({ ok: true, frame: { msg_type: "call", out_line: 0 } });
  });

  it("refuses non-JSON, arrays, scalars and oversized frames with a reason", () => {
    expect(decodeFrame("not json")).toEqual({ ok: false, reason: "not_json" });
    expect(decodeFrame("[1,2]")).toEqual({ ok: false, reason: "not_object" });
    expect(decodeFrame("42")).toEqual({ ok: false, reason: "not_object" });
    expect(decodeFrame("null")).toEqual({ ok: false, reason: "not_object" });
    expect(decodeFrame(`{"a":"${"x".repeat(2000)}"}`, 1000)).toEqual({
      ok: false,
      reason: "too_large",
    });
  });

  it("counts multi-byte characters as bytes for the size cap", () => {
    const text = `{"a":"${"坐".repeat(400)}"}`;
    expect(text.length).toBeLessThan(1000);
    expect(decodeFrame(text, 1000)).toEqual({ ok: false, reason: "too_large" });
  });

  it("normalizes nested objects but leaves arrays alone", () => {
    expect(normalizeRecord({ " a": { " b": "", c: 1 }, list: ["", "x"] })).toEqual({
      a: { c: 1 },
      list: ["", "x"],
    });
  });
});

describe("readString / readInt", () => {
  it("reads numbers sent as strings and strings sent as numbers", () => {
    const frame = { type: "2", trans_type: 1, code: 0, blank: "  ", bad: "1a" };
    expect(readString(frame, "type")).toBe("2");
    expect(readString(frame, "code")).toBe("0");
    expect(readString(frame, "blank")).toBeUndefined();
    expect(readInt(frame, "type")).toBe(2);
    expect(readInt(frame, "trans_type")).toBe(1);
    expect(readInt(frame, "bad")).toBeUndefined();
    expect(readInt(frame, "missing")).toBeUndefined();
  });
});
