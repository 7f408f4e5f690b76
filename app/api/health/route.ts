import { NextResponse } from "next/server";
import { canAccessCompany } from "@/lib/auth/viewer";
import { getViewer } from "@/server/auth/session";
import { healthReport } from "@/server/health";

export const dynamic = "force-dynamic";

/**
 * Liveness, CTI link state and, on PostgreSQL, the database's reachability; 200 while the process
 * serves (even with the CTI or the database down: see `status`). Anonymous probes get the overall
 * states only; a signed-in viewer also gets the CTI address, the link of each company they may
 * see (never another company's) and the database check's details.
 */
export async function GET() {
  const report = healthReport();
  if (!report) {
    return NextResponse.json({ status: "starting" }, { status: 503 });
  }
  const viewer = await getViewer();
  const cti = viewer
    ? {
        ...report.cti,
        companies: report.cti.companies.filter((c) => canAccessCompany(viewer, c.companyCode)),
      }
    : { state: report.cti.state, floorMoving: report.cti.floorMoving, companies: [] };
  const database =
    report.database && !viewer
      ? { dialect: report.database.dialect, state: report.database.state }
      : report.database;
  // Several nodes: anonymous probes see which node answered and whether it reaches Redis; a
  // signed-in viewer sees every node, with the leases of the companies they may see.
  const cluster = report.cluster && {
    ...report.cluster,
    nodes: viewer
      ? report.cluster.nodes.map((node) => ({
          ...node,
          leases: node.leases.filter((l) => canAccessCompany(viewer, l.companyCode)),
        }))
      : [],
  };
  return NextResponse.json(
    { ...report, cti, ...(database ? { database } : {}), ...(cluster ? { cluster } : {}) },
    { headers: { "cache-control": "no-store" } },
  );
}
