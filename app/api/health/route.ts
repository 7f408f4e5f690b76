import { NextResponse } from "next/server";
import { healthReport } from "@/server/health";

export const dynamic = "force-dynamic";

/** Liveness and CTI link state. 200 while the process serves (even with the CTI down: see `status`). */
export function GET() {
  const report = healthReport();
  if (!report) {
    return NextResponse.json({ status: "starting" }, { status: 503 });
  }
  return NextResponse.json(report, { headers: { "cache-control": "no-store" } });
}
