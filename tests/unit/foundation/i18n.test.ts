import { describe, expect, it } from "vitest";
import { CATALOGS } from "@/lib/i18n/catalog";
import { negotiateLocale } from "@/lib/i18n/config";

function keys(value: unknown, prefix = ""): string[] {
  if (value === null || typeof value !== "object") return [prefix];
  return Object.entries(value).flatMap(([key, child]) =>
    keys(child, prefix ? `${prefix}.${key}` : key),
  );
}

function placeholders(value: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (node: unknown, path: string) => {
    if (typeof node === "string") {
      out.set(
        path,
        [...node.matchAll(/\{\s*(\w+)\s*[,}]/g)]
          .map((m) => m[1])
          .sort()
          .join(","),
      );
    } else if (node && typeof node === "object") {
      for (const [key, child] of Object.entries(node)) walk(child, path ? `${path}.${key}` : key);
    }
  };
  walk(value, "");
  return out;
}

/** Every leaf of a catalog with its path; a message is a leaf that is not an object. */
function leaves(value: unknown, path = ""): [string, unknown][] {
  if (value === null || typeof value !== "object") return [[path, value]];
  return Object.entries(value).flatMap(([key, child]) =>
    leaves(child, path ? `${path}.${key}` : key),
  );
}

/** Paths whose message is not a string with visible text. */
function blankMessages(catalog: unknown): string[] {
  return leaves(catalog)
    .filter(([, text]) => typeof text !== "string" || text.trim() === "")
    .map(([path]) => path);
}

describe("i18n catalogs", () => {
  it("zh-CN and en have exactly the same keys", () => {
    expect(keys(CATALOGS["zh-CN"]).sort()).toEqual(keys(CATALOGS.en).sort());
  });

  it("no key contains a dot (next-intl reads dots as nesting and refuses such keys)", () => {
    const dotted = (node: unknown): string[] =>
      node && typeof node === "object"
        ? Object.entries(node).flatMap(([key, child]) => [
            ...(key.includes(".") ? [key] : []),
            ...dotted(child),
          ])
        : [];
    expect(dotted(CATALOGS.en)).toEqual([]);
    expect(dotted(CATALOGS["zh-CN"])).toEqual([]);
  });

  it("every message has visible text, in both languages", () => {
    expect(leaves(CATALOGS.en).length).toBeGreaterThan(50);
    expect(blankMessages(CATALOGS.en)).toEqual([]);
    expect(blankMessages(CATALOGS["zh-CN"])).toEqual([]);
  });

  it("the blank-message check catches empty, blank and non-text messages", () => {
    const broken = {
      a: { ok: "Ready", empty: "", spaces: "  \n\t", full: "\u3000" },
      n: null,
      z: 0,
    };
    expect(blankMessages(broken).sort()).toEqual(["a.empty", "a.full", "a.spaces", "n", "z"]);
  });

  it("every message uses the same placeholders in both languages", () => {
    const zh = placeholders(CATALOGS["zh-CN"]);
    const en = placeholders(CATALOGS.en);
    expect([...zh.keys()].sort()).toEqual([...en.keys()].sort());
    for (const [path, names] of en) {
      expect(zh.get(path), path).toBe(names);
    }
  });
});

describe("negotiateLocale", () => {
  it("prefers the explicit cookie", () => {
    expect(negotiateLocale("en", "zh-CN,zh;q=0.9")).toBe("en");
  });
  it("follows Accept-Language by quality", () => {
    expect(negotiateLocale(undefined, "fr;q=1, en-US;q=0.8, zh;q=0.5")).toBe("en");
    expect(negotiateLocale(undefined, "zh-TW,en;q=0.5")).toBe("zh-CN");
  });
  it("falls back to zh-CN for anything else or a bad cookie", () => {
    expect(negotiateLocale("de", "de-DE")).toBe("zh-CN");
    expect(negotiateLocale(undefined, null)).toBe("zh-CN");
  });
});
