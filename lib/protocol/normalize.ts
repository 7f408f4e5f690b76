/**
 * Wire quirks of protocol.md §2, applied to every frame before any schema sees it:
 * keys and `msg_type` may carry stray spaces, `""` and `null` mean absent.
 */
export type WireRecord = Record<string, unknown>;

export type DecodeResult =
  { ok: true; frame: WireRecord } | { ok: false; reason: "not_json" | "not_object" | "too_large" };

/** Default cap on one frame; a larger one is refused before it is parsed. */
export const MAX_FRAME_BYTES = 64 * 1024;

export function decodeFrame(text: string, maxBytes = MAX_FRAME_BYTES): DecodeResult {
  if (Buffer.byteLength(text, "utf8") > maxBytes) return { ok: false, reason: "too_large" };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: "not_json" };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { ok: false, reason: "not_object" };
  }
  return { ok: true, frame: normalizeRecord(value as WireRecord) };
}

/** Trims keys, trims `msg_type`, drops keys whose value is `""` or `null`. Not recursive into arrays of scalars. */
export function normalizeRecord(input: WireRecord): WireRecord {
  const out: WireRecord = {};
  for (const [rawKey, rawValue] of Object.entries(input)) {
    const key = rawKey.trim();
    if (rawValue === null || rawValue === "") continue;
    if (key === "msg_type" && typeof rawValue === "string") {
      out[key] = rawValue.trim();
    } else if (rawValue && typeof rawValue === "object" && !Array.isArray(rawValue)) {
      out[key] = normalizeRecord(rawValue as WireRecord);
    } else {
      out[key] = rawValue;
    }
  }
  return out;
}

/** A field that may be a string or a number on the wire, read as a trimmed string. */
export function readString(frame: WireRecord, key: string): string | undefined {
  const value = frame[key];
  if (typeof value === "string") {
    const trimmed = value.trim();
    return trimmed === "" ? undefined : trimmed;
  }
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A field that may be a number or a numeric string on the wire, read as an integer. */
export function readInt(frame: WireRecord, key: string): number | undefined {
  const value = frame[key];
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string" && /^\s*-?\d+\s*$/.test(value)) return Number.parseInt(value, 10);
  return undefined;
}
