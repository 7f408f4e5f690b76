import { appendFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import type { TAuditFilters } from "@/lib/audit/filters";
import { prepareAuthEnvironment } from "../auth/harness";
import { onPostgres } from "../helpers/postgres";
import { interventions, T0, type TActors } from "./fixture";

/**
 * [AUDIT] Every filter the audit page offers walks an index: the query plan of each combination
 * (SQLite's EXPLAIN QUERY PLAN) searches the index chosen for it, never scans a table, and sorts
 * nothing but ties (or the few rows of one call). AUDIT_PLANS_OUT=<file> writes the plans out.
 *
 * On PostgreSQL (no INDEXED BY: the planner chooses) each query's EXPLAIN, with sequential scans
 * priced out as they are on a large table, must seek (an Index Cond) in one of its table's
 * indexes and never scan the table. Which index, and whether it sorts, is the planner's call on
 * a few hundred rows and is not pinned there.
 */
prepareAuthEnvironment();

const { db } = await import("@/server/db");
const { Prisma } = await import("@/generated/prisma/client");
const { insertUser } = await import("@/server/auth/users");
const { auditQueries, companiesSql, timelineSql } = await import("@/server/audit/query");
const { seedInterventions } = await import("./seed");

type TScopeName = "company" | "all";
const SCOPES = {
  company: { companies: ["90001"], hideWiderReach: true },
  all: { companies: "all" as const, hideWiderReach: false },
};
const CURSOR = { at: new Date(T0), id: "iv-010" };
const FROM = new Date(T0 - 3_600_000);
const TO = new Date(T0);

/** [name, filters, the index each partition's query must search, whether it sorts all its rows] */
const CASES: [string, TAuditFilters, Record<TScopeName, string>, boolean?][] = [
  ["interventions", { kind: "interventions" }, both("Intervention_companyCode_requestedAt_idx")],
  [
    "time range + page",
    { kind: "interventions", from: FROM, to: TO, cursor: CURSOR },
    both("Intervention_companyCode_requestedAt_idx"),
  ],
  [
    "supervisor",
    { kind: "interventions", actor: "sup1", from: FROM },
    both("Intervention_actorId_requestedAt_idx"),
  ],
  [
    "target agent",
    { kind: "interventions", target: "90001_20001", cursor: CURSOR },
    both("Intervention_targetAgentId_requestedAt_idx"),
  ],
  [
    "call uuid",
    { kind: "interventions", call: "call-7", operation: "substitute" },
    both("Intervention_callUuid_idx"),
    true,
  ],
  [
    "operation",
    { kind: "interventions", operation: "substitute", to: TO },
    {
      company: "Intervention_companyCode_requestedAt_idx",
      all: "Intervention_operation_requestedAt_idx",
    },
  ],
  [
    "outcome confirmed",
    { kind: "interventions", outcome: "confirmed" },
    {
      company: "Intervention_companyCode_requestedAt_idx",
      all: "Intervention_outcome_requestedAt_idx",
    },
  ],
  [
    "outcome failed + time",
    { kind: "interventions", outcome: "failed", from: FROM, to: TO },
    both("Intervention_outcome_requestedAt_idx"),
  ],
  [
    "in progress",
    { kind: "interventions", outcome: "in_progress", cursor: CURSOR },
    both("Intervention_outcome_requestedAt_idx"),
  ],
  [
    "supervisor + operation + outcome",
    { kind: "interventions", actor: "sup1", operation: "interrupt_call", outcome: "failed" },
    both("Intervention_actorId_requestedAt_idx"),
  ],
  ["sign-ins and admin", { kind: "events" }, both("AuditEvent_companyCode_at_idx")],
  [
    "events: time range + page",
    { kind: "events", from: FROM, to: TO, cursor: { at: new Date(T0), id: "100" } },
    both("AuditEvent_companyCode_at_idx"),
  ],
  ["events: who", { kind: "events", actor: "sup1", from: FROM }, both("AuditEvent_actorId_at_idx")],
  [
    "events: type",
    { kind: "events", type: "login.failed", to: TO },
    both("AuditEvent_type_at_idx"),
  ],
];

function both(index: string): Record<TScopeName, string> {
  return { company: index, all: index };
}

/** A node of PostgreSQL's EXPLAIN (FORMAT JSON), the fields the checks read. */
interface TPgNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Index Cond"?: string;
  Plans?: TPgNode[];
}

async function postgresPlanOf(sql: InstanceType<typeof Prisma.Sql>): Promise<TPgNode[]> {
  const [, explained] = await db().$transaction([
    db().$executeRaw`SET LOCAL enable_seqscan = off`,
    db().$queryRaw<{ "QUERY PLAN": [{ Plan: TPgNode }] }[]>(
      Prisma.sql`EXPLAIN (FORMAT JSON) ${sql}`,
    ),
  ]);
  const nodes: TPgNode[] = [];
  const walk = (node: TPgNode) => {
    nodes.push(node);
    node.Plans?.forEach(walk);
  };
  walk(explained[0]!["QUERY PLAN"][0].Plan);
  return nodes;
}

function expectPostgresSeeks(nodes: TPgNode[], table: string): void {
  const scans = nodes.filter((node) => node["Relation Name"] === table);
  const summary = nodes.map(
    (n) => `${n["Node Type"]} ${n["Index Name"] ?? ""} ${n["Index Cond"] ?? ""}`,
  );
  expect(scans.length, summary.join(" | ")).toBeGreaterThan(0);
  for (const scan of scans) {
    expect(scan["Node Type"], summary.join(" | ")).not.toBe("Seq Scan");
  }
  expect(
    nodes.some((node) => node["Index Cond"] !== undefined),
    summary.join(" | "),
  ).toBe(true);
}

async function planOf(sql: InstanceType<typeof Prisma.Sql>): Promise<string[]> {
  const rows = await db().$queryRaw<{ detail: string }[]>(Prisma.sql`EXPLAIN QUERY PLAN ${sql}`);
  return rows.map((row) => row.detail);
}

function report(title: string, plans: string[][]): void {
  const out = process.env.AUDIT_PLANS_OUT;
  if (out)
    appendFileSync(
      out,
      `${title}\n${plans.map((p) => p.map((l) => `    ${l}`).join("\n")).join("\n  --\n")}\n`,
    );
}

beforeAll(async () => {
  const user = async (username: string, companyCode: string, allCompanies = false) => ({
    id: await insertUser(
      {
        username,
        password: "audit-plans-pass-1",
        role: allCompanies ? "admin" : "supervisor",
        companyCode,
        allCompanies,
        ...(allCompanies ? {} : { ctiAgentId: `${companyCode}_1`, ctiExtId: `${companyCode}_1` }),
      },
      { kind: "system" },
      { ip: null, userAgent: null },
    ),
    name: username,
  });
  const actors: TActors = {
    sup1: await user("sup1", "90001"),
    sup2: await user("sup2", "90001"),
    other: await user("other.sup", "90002"),
    third: await user("third.sup", "90003"),
    chief: await user("chief", "90001", true),
  };
  // Rows in three companies, so the all-companies reads have partitions to merge.
  await seedInterventions(interventions(actors));
});

describe("[AUDIT] query plans", () => {
  for (const [name, filters, index, sortsAll] of CASES)
    for (const scope of ["company", "all"] as const)
      it(`${name} (${scope}) searches ${index[scope]}`, async () => {
        const queries = await auditQueries(SCOPES[scope], filters, 50);
        expect(queries.length).toBeGreaterThan(0);
        if (onPostgres) {
          const table = filters.kind === "interventions" ? "Intervention" : "AuditEvent";
          for (const query of queries) expectPostgresSeeks(await postgresPlanOf(query), table);
          return;
        }
        const plans = await Promise.all(queries.map(planOf));
        report(
          `${name} (${scope}): ${queries.length} quer${queries.length === 1 ? "y" : "ies"}`,
          plans,
        );
        for (const plan of plans) {
          const table = filters.kind === "interventions" ? "Intervention" : "AuditEvent";
          expect(plan[0], plan.join(" | ")).toMatch(
            new RegExp(`^SEARCH ${table} USING INDEX ${index[scope]} \\(`),
          );
          expect(
            plan.filter((line) => line.startsWith("SCAN ")),
            plan.join(" | "),
          ).toEqual([]);
          const sorts = plan.filter((line) => line.startsWith("USE TEMP B-TREE"));
          expect(sorts, plan.join(" | ")).toEqual(
            sortsAll
              ? ["USE TEMP B-TREE FOR ORDER BY"]
              : filters.kind === "interventions"
                ? // The text id breaks ties among rows of the same instant only.
                  ["USE TEMP B-TREE FOR LAST TERM OF ORDER BY"]
                : [],
          );
        }
      });

  it("the companies of an all-companies read come from index seeks, and timelines from their index", async () => {
    if (onPostgres) {
      for (const table of ["Intervention", "AuditEvent"] as const) {
        expectPostgresSeeks(await postgresPlanOf(companiesSql(table)), table);
      }
      expectPostgresSeeks(await postgresPlanOf(timelineSql(["a", "b"])), "AuditEvent");
      return;
    }
    for (const table of ["Intervention", "AuditEvent"] as const) {
      const plan = await planOf(companiesSql(table));
      report(`companies of ${table}`, [plan]);
      expect(plan.filter((l) => l.startsWith("SEARCH")).length).toBe(2);
      expect(plan.every((l) => !l.startsWith("SCAN ") || /^SCAN (c|CONSTANT ROW)$/.test(l))).toBe(
        true,
      );
      expect(
        plan.filter((l) => l.startsWith("SEARCH")).every((l) => l.includes("COVERING INDEX")),
      ).toBe(true);
    }
    const timeline = await planOf(timelineSql(["a", "b"]));
    report("timelines", [timeline]);
    expect(timeline[0]).toMatch(
      /^SEARCH AuditEvent USING INDEX AuditEvent_interventionId_idx \(interventionId=\?\)$/,
    );
    expect(timeline.filter((l) => l.startsWith("SCAN "))).toEqual([]);
  });
});
