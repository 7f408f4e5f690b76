/**
 * Wire quirks of protocol.md §2, applied to every frame before any schema sees it:
 * keys and `msg_type` may carry stray spaces, `""` and `null` mean absent.
 */
export type WireRecord = Record<string, unknown>;

export type DecodeResult =
  | { ok: true; frame: WireRecord }
  | { ok: false; reason: "not_json" | "not_object" | "too_large" | "too_deep" };

/** Default cap on one frame; a larger one is refused before it is parsed. */
export const MAX_FRAME_BYTES = 64 * 1024;

/**
 * Deepest nesting (objects and arrays) a frame may have. Real frames stay under 6; the cap keeps
 * the recursive normalizer off the end of the stack for a 64 KiB frame of brackets.
 */
export const MAX_FRAME_DEPTH = 32;

/**
 * Keys that reach prototype machinery when assigned (`out["__proto__"] = x` replaces the
 * prototype, so the frame would inherit fields no schema sees as missing). No protocol field
 * uses these names, so they are dropped at every depth, after trimming.
 */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** Thrown by `normalizeRecord` for input nested deeper than `MAX_FRAME_DEPTH`. */
export class FrameTooDeepError extends Error {
  constructor() {
    super(`nested deeper than ${MAX_FRAME_DEPTH}`);
  }
}

export function decodeFrame(text: string, maxBytes = MAX_FRAME_BYTES): DecodeResult {
  if (Buffer.byteLength(text, "utf8") > maxBytes) return { ok: false, reason: "too_large" };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: "not_json" };
  }
  return normalizeParsed(value);
}

/** An already parsed body (e.g. an HTTP request) checked and normalized like a frame. */
export function normalizeParsed(value: unknown): DecodeResult {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { ok: false, reason: "not_object" };
  }
  try {
    return { ok: true, frame: normalizeRecord(value as WireRecord) };
  } catch (error) {
    if (error instanceof FrameTooDeepError) return { ok: false, reason: "too_deep" };
    throw error;
  }
}

/**
 * Trims keys, trims `msg_type`, drops keys whose value is `""` or `null` and prototype keys, in
 * nested objects and in objects inside arrays; scalars inside arrays are left as they are.
 * Throws `FrameTooDeepError` past `MAX_FRAME_DEPTH`.
 */
export function normalizeRecord(input: WireRecord): WireRecord {
  return normalizeObject(input, 1);
}

function normalizeObject(input: WireRecord, depth: number): WireRecord {
  if (depth > MAX_FRAME_DEPTH) throw new FrameTooDeepError();
  const out: WireRecord = {};
  for (const [rawKey, rawValue] of Object.entries(input)) {
    const key = rawKey.trim();
    if (PROTOTYPE_KEYS.has(key) || rawValue === null || rawValue === "") continue;
    out[key] =
      key === "msg_type" && typeof rawValue === "string"
        ? rawValue.trim()
        : normalizeNested(rawValue, depth + 1);
  }
  return out;
}

function normalizeNested(value: unknown, depth: number): unknown {
  if (Array.isArray(value)) {
    if (depth > MAX_FRAME_DEPTH) throw new FrameTooDeepError();
    return value.map((item: unknown) => normalizeNested(item, depth + 1));
  }
  if (value !== null && typeof value === "object")
    return normalizeObject(value as WireRecord, depth);
  return value;
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
