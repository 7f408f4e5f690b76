import "server-only";
import type { TViewer } from "@/lib/auth/viewer";
import { loadConfig } from "../config";
import { db } from "../db";

/** The companies an admin may assign: theirs, or for an all-companies admin every watched or used one. */
export async function assignableCompanies(viewer: TViewer): Promise<string[]> {
  if (viewer.companies !== "all") return viewer.companies;
  const used = await db().user.findMany({
    distinct: ["companyCode"],
    select: { companyCode: true },
  });
  const all = new Set([
    ...loadConfig().companies.map((c) => c.companyCode),
    ...used.map((u) => u.companyCode),
  ]);
  return [...all].sort();
}
