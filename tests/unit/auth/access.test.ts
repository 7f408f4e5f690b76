import { describe, expect, it } from "vitest";
import { accessRefusal } from "@/lib/auth/access";
import { originAllowed } from "@/server/auth/origin";
import { safeNextPath } from "@/lib/auth/redirect";
import type { TViewer } from "@/lib/auth/viewer";

const viewer: TViewer = {
  kind: "user",
  id: "v",
  name: "viewer",
  role: "viewer",
  companies: ["90001"],
};
const supervisor: TViewer = {
  ...viewer,
  id: "s",
  role: "supervisor",
  ctiAgentId: "90001_20004",
  ctiExtId: "90001_20004",
};
const admin: TViewer = { ...viewer, id: "a", role: "admin", companies: "all" };
const display: TViewer = {
  kind: "display",
  id: "d",
  name: "Wall",
  role: "display",
  companies: ["90001"],
};

describe("[AUTH] access rules", () => {
  it("refuses anonymous callers first", () => {
    expect(accessRefusal(null)).toBe("unauthenticated");
    expect(accessRefusal(null, { roles: ["display"] })).toBe("unauthenticated");
  });

  it("admits signed-in users but never displays by default", () => {
    expect(accessRefusal(viewer)).toBeNull();
    expect(accessRefusal(supervisor)).toBeNull();
    expect(accessRefusal(admin)).toBeNull();
    expect(accessRefusal(display)).toBe("forbidden_role");
    expect(accessRefusal(display, { roles: ["display"] })).toBeNull();
  });

  it("checks the role, then the company", () => {
    expect(accessRefusal(viewer, { roles: ["admin"] })).toBe("forbidden_role");
    expect(accessRefusal(supervisor, { roles: ["supervisor"], company: "90002" })).toBe(
      "forbidden_company",
    );
    expect(accessRefusal(supervisor, { roles: ["supervisor"], company: "90001" })).toBeNull();
    expect(accessRefusal(admin, { roles: ["admin"], company: "90002" })).toBeNull();
    expect(accessRefusal(display, { roles: ["display"], company: "90002" })).toBe(
      "forbidden_company",
    );
  });
});

describe("[AUTH] origin check", () => {
  const allowed = ["http://localhost:3000"];
  it("accepts configured origins and the origin of the Host", () => {
    expect(originAllowed("http://localhost:3000", "127.0.0.1:3000", allowed)).toBe(true);
    expect(originAllowed("http://10.0.0.5:3000", "10.0.0.5:3000", allowed)).toBe(true);
  });
  it("refuses other sites, odd schemes and a missing Origin", () => {
    expect(originAllowed("http://evil.example", "localhost:3000", allowed)).toBe(false);
    expect(originAllowed("http://localhost:3000.evil.example", "localhost:3000", [])).toBe(false);
    expect(originAllowed("file://localhost:3000", "localhost:3000", [])).toBe(false);
    expect(originAllowed("null", "localhost:3000", allowed)).toBe(false);
    expect(originAllowed(undefined, "localhost:3000", allowed)).toBe(false);
    expect(originAllowed("http://localhost:3000", undefined, [])).toBe(false);
  });
});

describe("[AUTH] redirect after sign-in", () => {
  it("keeps same-site paths and drops everything else", () => {
    expect(safeNextPath("/floor?company=90002")).toBe("/floor?company=90002");
    expect(safeNextPath("/admin/users")).toBe("/admin/users");
    expect(safeNextPath("//evil.example")).toBe("/");
    expect(safeNextPath("/\\evil.example")).toBe("/");
    expect(safeNextPath("https://evil.example")).toBe("/");
    expect(safeNextPath("javascript:alert(1)")).toBe("/");
    expect(safeNextPath("/login")).toBe("/");
    expect(safeNextPath(undefined)).toBe("/");
  });
});
