import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  decodeFrame,
  MAX_FRAME_DEPTH,
  normalizeRecord,
  readInt,
  readString,
  type WireRecord,
} from "@/lib/protocol/normalize";
import { ZChangeStatusRequest } from "@/lib/protocol/requests";

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

  it("normalizes nested objects but leaves scalars in arrays alone", () => {
    expect(normalizeRecord({ " a": { " b": "", c: 1 }, list: ["", "x"] })).toEqual({
      a: { c: 1 },
      list: ["", "x"],
    });
  });
});

/**
 * Keys that reach an object's prototype machinery when assigned: a CTI must not be able to
 * give a parsed frame inherited fields that no schema then sees as missing.
 */
const PROTOTYPE_KEYS = ["__proto__", "constructor", "prototype"].flatMap((key) => [
  key,
  ` ${key}`,
  `${key} `,
  `  ${key}\t`,
]);

/** The same hostile object placed at each depth a frame can hold one. */
const PLACEMENTS: {
  where: string;
  frame: (key: string) => string;
  reach: (f: WireRecord) => unknown;
}[] = [
  {
    where: "at the top level",
    frame: (key) =>
      `{"msg_type":"change_status",${JSON.stringify(key)}:{"action":"MAKE_REST","polluted":"yes"}}`,
    reach: (f) => f,
  },
  {
    where: "in a nested object",
    frame: (key) =>
      `{"msg_type":"x","data":{"inner":{${JSON.stringify(key)}:{"action":"MAKE_REST","polluted":"yes"}}}}`,
    reach: (f) => (f.data as WireRecord).inner,
  },
  {
    where: "in an object inside an array",
    frame: (key) =>
      `{"msg_type":"x","list":[1,{${JSON.stringify(key)}:{"action":"MAKE_REST","polluted":"yes"}}]}`,
    reach: (f) => (f.list as unknown[])[1],
  },
];

function decoded(text: string): WireRecord {
  const result = decodeFrame(text);
  if (!result.ok) throw new Error(`frame refused: ${result.reason}`);
  return result.frame;
}

describe("prototype keys in a frame", () => {
  for (const { where, frame, reach } of PLACEMENTS) {
    it(`are dropped ${where} and give the object nothing to inherit`, () => {
      for (const key of PROTOTYPE_KEYS) {
        const target = reach(decoded(frame(key))) as WireRecord;
        expect(Object.getPrototypeOf(target), JSON.stringify(key)).toBe(Object.prototype);
        expect("polluted" in target, JSON.stringify(key)).toBe(false);
        expect("action" in target, JSON.stringify(key)).toBe(false);
        expect(
          Object.keys(target).filter((k) => PROTOTYPE_KEYS.includes(k)),
          JSON.stringify(key),
        ).toEqual([]);
        expect(target.constructor, JSON.stringify(key)).toBe(Object);
      }
    });
  }

  it("would have let the schemas pass had the field been sent plainly", () => {
    const plain = PLACEMENTS.map((p) => decoded(p.frame("plain")));
    for (const frame of plain) expect(JSON.stringify(frame)).toContain('"plain":{"action"');
    expect(ZChangeStatusRequest.safeParse(plain[0]!.plain).success).toBe(true);
  });

  it("cannot supply a field a schema requires (top level)", () => {
    for (const key of PROTOTYPE_KEYS) {
      const frame = decoded(PLACEMENTS[0]!.frame(key));
      expect(ZChangeStatusRequest.safeParse(frame).success, JSON.stringify(key)).toBe(false);
    }
  });

  it("cannot supply a field a schema requires (nested object, object inside an array)", () => {
    const ZNested = z.object({ data: z.object({ inner: z.object({ action: z.string() }) }) });
    const ZListed = z.object({ list: z.tuple([z.number(), z.object({ action: z.string() })]) });
    for (const key of PROTOTYPE_KEYS) {
      expect(ZNested.safeParse(decoded(PLACEMENTS[1]!.frame(key))).success, key).toBe(false);
      expect(ZListed.safeParse(decoded(PLACEMENTS[2]!.frame(key))).success, key).toBe(false);
    }
  });

  it("are dropped by normalizeRecord on an already parsed body too", () => {
    const body = JSON.parse('{"company_code":"90001"," __proto__":{"page_no":1}}') as WireRecord;
    const record = normalizeRecord(body);
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    expect(record).toEqual({ company_code: "90001" });
    expect("page_no" in record).toBe(false);
  });

  it("leaves Object.prototype alone", () => {
    decoded('{"msg_type":"x","__proto__":{"polluted":"yes"},"list":[{"__proto__":{"p":1}}]}');
    expect(({} as WireRecord).polluted).toBeUndefined();
    expect(({} as WireRecord).p).toBeUndefined();
  });
});

describe("nesting", () => {
  it("normalizes objects inside arrays and leaves their scalars alone", () => {
    expect(normalizeRecord({ list: ["", null, { " a": "", " b": 1 }, [{ " c": 2 }]] })).toEqual({
      list: ["", null, { b: 1 }, [{ c: 2 }]],
    });
  });

  it("refuses a frame nested deeper than it reads, without throwing", () => {
    const deepObject = `{"msg_type":"x","a":${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}}`;
    const deepArray = `{"msg_type":"x","a":${"[".repeat(30_000)}1${"]".repeat(30_000)}}`;
    expect(decodeFrame(deepObject)).toEqual({ ok: false, reason: "too_deep" });
    expect(decodeFrame(deepArray)).toEqual({ ok: false, reason: "too_deep" });
    // n nested objects are n levels, the frame itself the first; an array is a level too.
    const justDeepEnough = `${'{"a":'.repeat(MAX_FRAME_DEPTH)}1${"}".repeat(MAX_FRAME_DEPTH)}`;
    expect(decodeFrame(justDeepEnough).ok).toBe(true);
    const arrayAtTheCap = `${'{"a":'.repeat(MAX_FRAME_DEPTH - 1)}[1]${"}".repeat(MAX_FRAME_DEPTH - 1)}`;
    expect(decodeFrame(arrayAtTheCap).ok).toBe(true);
    expect(decodeFrame(arrayAtTheCap.replace("[1]", "[[1]]"))).toEqual({
      ok: false,
      reason: "too_deep",
    });
    const oneTooDeep = `${'{"a":'.repeat(MAX_FRAME_DEPTH + 1)}1${"}".repeat(MAX_FRAME_DEPTH + 1)}`;
    expect(decodeFrame(oneTooDeep)).toEqual({ ok: false, reason: "too_deep" });
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
