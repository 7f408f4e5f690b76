import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  canonicalJson,
  chainedFields,
  chainHash,
  hashedTime,
  storedTime,
  type TChainedFields,
} from "@/server/audit/chain";

const fields: TChainedFields = {
  at: "2026-11-30T10:00:00.123Z",
  type: "intervention.acked",
  actorKind: "user",
  actorId: "u1",
  actorName: "sup1",
  companyCode: "90001",
  ip: "10.0.0.1",
  userAgent: "vitest",
  data: JSON.stringify({ interventionId: "i-1", latencyMs: 120 }),
  interventionId: "i-1",
};
const PREV = "a".repeat(64);

describe("[AUDIT] canonical JSON", () => {
  it("sorts keys at every depth, keeps array order, writes no whitespace", () => {
    expect(canonicalJson({ b: 1, a: [3, { d: null, c: "x" }, true], é: "é", Z: 0.5 })).toBe(
      '{"Z":0.5,"a":[3,{"c":"x","d":null},true],"b":1,"é":"é"}',
    );
  });

  it("sorts by UTF-16 code units and writes strings as JSON.stringify does (RFC 8785)", () => {
    // U+1F600 is the surrogate pair D83D DE00, which sorts before U+FB01 (RFC 8785 §3.2.3).
    expect(canonicalJson({ "\ufb01": 1, "\u{1f600}": 2, "\n": 3 })).toBe(
      '{"\\n":3,"\u{1f600}":2,"\ufb01":1}',
    );
    expect(canonicalJson({ n: 1e21, m: -0, s: "\u2028" })).toBe('{"m":0,"n":1e+21,"s":"\u2028"}');
  });

  it("leaves undefined members out and refuses what JSON cannot carry", () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ a: () => 1 })).toThrow(TypeError);
  });
});

describe("[AUDIT] chain hash", () => {
  it("is SHA-256 of the previous hash and the canonical JSON of the stored fields", () => {
    const canonical = canonicalJson({ ...fields, data: JSON.parse(fields.data) });
    const expected = createHash("sha256")
      .update(PREV + canonical)
      .digest("hex");
    expect(chainHash(PREV, fields)).toBe(expected);
  });

  it("changes when any hashed field or the previous hash changes", () => {
    const base = chainHash(PREV, fields);
    const changed: Partial<TChainedFields>[] = [
      { at: "2026-11-30T10:00:00.124Z" },
      { type: "intervention.failed" },
      { actorKind: "system" },
      { actorId: "u2" },
      { actorId: null },
      { actorName: "sup2" },
      { companyCode: "90002" },
      { companyCode: null },
      { ip: "10.0.0.2" },
      { userAgent: null },
      { data: JSON.stringify({ interventionId: "i-1", latencyMs: 121 }) },
      { interventionId: "i-2" },
    ];
    for (const change of changed) {
      expect(chainHash(PREV, { ...fields, ...change }), JSON.stringify(change)).not.toBe(base);
    }
    expect(chainHash("b".repeat(64), fields)).not.toBe(base);
  });

  it("depends on the data's values, not on how its JSON is spelled", () => {
    const respelled = { ...fields, data: '{ "latencyMs": 120, "interventionId": "i-1" }' };
    expect(chainHash(PREV, respelled)).toBe(chainHash(PREV, fields));
  });

  it("throws when the data is not JSON", () => {
    expect(() => chainHash(PREV, { ...fields, data: "{" })).toThrow();
  });
});

describe("[AUDIT] stored fields of an event", () => {
  const envelope = { actor: { kind: "user" as const, id: "u1", name: "sup1" } };
  const meta = { companyCode: "90001", ip: null, userAgent: null };

  it("fill the interventionId column from the event's data", () => {
    const row = chainedFields(
      {
        type: "intervention.sent",
        data: { interventionId: "i-9" },
        ...envelope,
        ...meta,
      },
      new Date(fields.at),
    );
    expect(row).toMatchObject({
      at: "2026-11-30T10:00:00.123Z",
      interventionId: "i-9",
      actorId: "u1",
      actorName: "sup1",
    });
    expect(JSON.parse(row.data)).toEqual({ interventionId: "i-9" });
  });

  it("leave it null for other events and actors without id or name", () => {
    const row = chainedFields(
      {
        type: "logout",
        data: { userId: "u1", username: "sup1" },
        actor: { kind: "system" },
        ...meta,
      },
      new Date(fields.at),
    );
    expect(row).toMatchObject({ interventionId: null, actorId: null, actorName: null });
  });
});

describe("[AUDIT] stored times as hashed", () => {
  it("reads Prisma's spelling back to Date.toISOString(), and parses any other", () => {
    const at = new Date("2026-11-30T10:00:00.123Z");
    expect(storedTime(at.toISOString())).toBe("2026-11-30T10:00:00.123+00:00");
    expect(hashedTime(storedTime(at.toISOString()))).toBe(at.toISOString());
    expect(hashedTime("2026-11-30T11:00:00.123+01:00")).toBe(at.toISOString());
    expect(hashedTime("not a time")).toBe("not a time");
  });
});
