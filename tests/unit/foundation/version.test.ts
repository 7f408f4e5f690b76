import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { processVersion } from "@/server/build";

describe("the process's version (health, wall)", () => {
  it("is package.json's, with the build id of the build served, so each deployment changes it", () => {
    const root = mkdtempSync(path.join(tmpdir(), "fw-version-"));
    writeFileSync(path.join(root, "package.json"), JSON.stringify({ version: "1.2.3" }));
    expect(processVersion(root)).toBe("1.2.3");
    mkdirSync(path.join(root, ".next"));
    writeFileSync(path.join(root, ".next", "BUILD_ID"), "abcDEF123\n");
    expect(processVersion(root)).toBe("1.2.3+abcDEF123");
    writeFileSync(path.join(root, ".next", "BUILD_ID"), "nextBuild456");
    expect(processVersion(root)).toBe("1.2.3+nextBuild456");
    // `npm run dev` serves no build: a build left on disk says nothing about the code running.
    expect(processVersion(root, true)).toBe("1.2.3");
  });
});
