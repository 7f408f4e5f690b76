import { beforeAll, describe, expect, it } from "vitest";
import type { TAuditFilters, TEventFilters, TInterventionFilters } from "@/lib/audit/filters";
import type { TAuditEventInput } from "@/lib/audit/events";
import type { TViewer } from "@/lib/auth/viewer";
import { prepareAuthEnvironment } from "../auth/harness";
import { expectedIds, interventions, MINUTE, T0, TIE, type TActors } from "./fixture";
import { STEP_MS, type TSeedIntervention } from "./seed";

/**
 * [AUDIT] server/audit/query.ts against a real migrated SQLite database: every filter against an
 * oracle computed from the seed, the reach rules, keyset paging across ties and companies, and
 * the timeline built from the audit events.
 */
prepareAuthEnvironment();

const { db } = await import("@/server/db");
const { insertUser } = await import("@/server/auth/users");
const { auditScope, readInterventions, readAccountEvents, readAudit } =
  await import("@/server/audit/query");
const { seedEvents, seedInterventions } = await import("./seed");

const SYSTEM = { kind: "system" as const };
const NO_META = { ip: null, userAgent: null };
let actors: TActors;
let seeded: TSeedIntervention[];
const viewers = {} as Record<"companyAdmin" | "chief" | "supervisor" | "otherSupervisor", TViewer>;

const iv = (f: Omit<TInterventionFilters, "kind"> = {}): TInterventionFilters => ({
  kind: "interventions",
  ...f,
});
const ev = (f: Omit<TEventFilters, "kind"> = {}): TEventFilters => ({ kind: "events", ...f });

beforeAll(async () => {
  const user = async (
    username: string,
    role: "supervisor" | "admin",
    companyCode: string,
    allCompanies = false,
  ) => ({
    id: await insertUser(
      {
        username,
        password: "audit-page-pass-1",
        role,
        companyCode,
        allCompanies,
        ...(role === "supervisor"
          ? { ctiAgentId: `${companyCode}_20004`, ctiExtId: `${companyCode}_20004` }
          : {}),
      },
      SYSTEM,
      NO_META,
    ),
    name: username,
  });
  actors = {
    sup1: await user("sup1", "supervisor", "90001"),
    sup2: await user("sup2", "supervisor", "90001"),
    other: await user("other.sup", "supervisor", "90002"),
    third: await user("third.sup", "supervisor", "90003"),
    chief: await user("chief", "admin", "90001", true),
  };
  const home = await user("home.admin", "admin", "90001");
  viewers.companyAdmin = {
    kind: "user",
    id: home.id,
    name: home.name,
    role: "admin",
    companies: ["90001"],
  };
  viewers.chief = {
    kind: "user",
    id: actors.chief.id,
    name: "chief",
    role: "admin",
    companies: "all",
  };
  viewers.supervisor = {
    kind: "user",
    id: actors.sup1.id,
    name: "sup1",
    role: "supervisor",
    companies: ["90001"],
  };
  viewers.otherSupervisor = {
    kind: "user",
    id: actors.other.id,
    name: "other.sup",
    role: "supervisor",
    companies: ["90002"],
  };
  seeded = interventions(actors);
  await seedInterventions(seeded);
  const at = (minutes: number) => new Date(T0 - minutes * MINUTE);
  const by = (a: { id: string; name: string }) => ({
    kind: "user" as const,
    id: a.id,
    name: a.name,
  });
  const events: { at: Date; event: TAuditEventInput }[] = [
    {
      at: at(1),
      event: {
        type: "login.succeeded",
        data: { userId: actors.chief.id, username: "chief" },
        actor: by(actors.chief),
        companyCode: "90001",
        ip: "10.7.0.1",
        userAgent: "chief-browser",
      },
    },
    {
      at: at(2),
      event: {
        type: "user.password_reset",
        data: { userId: actors.chief.id, username: "chief" },
        actor: SYSTEM,
        companyCode: "90001",
        ip: null,
        userAgent: null,
      },
    },
    {
      at: at(3),
      event: {
        type: "login.succeeded",
        data: { userId: actors.sup1.id, username: "sup1" },
        actor: by(actors.sup1),
        companyCode: "90001",
        ip: "10.0.0.1",
        userAgent: "sup1-browser",
      },
    },
    {
      at: at(4),
      event: {
        type: "logout",
        data: { userId: actors.sup1.id, username: "sup1" },
        actor: by(actors.sup1),
        companyCode: "90001",
        ip: "10.0.0.1",
        userAgent: "sup1-browser",
      },
    },
    {
      at: at(5),
      event: {
        type: "login.failed",
        data: { username: "nobody", reason: "invalid_credentials" },
        actor: { kind: "anonymous" },
        companyCode: null,
        ip: "10.0.0.66",
        userAgent: "curl",
      },
    },
    {
      at: at(6),
      event: {
        type: "login.succeeded",
        data: { userId: actors.other.id, username: "other.sup" },
        actor: by(actors.other),
        companyCode: "90002",
        ip: "10.0.0.2",
        userAgent: "other-browser",
      },
    },
  ];
  await seedEvents(events);
});

/** Every page of a read, following `next`. */
async function allPages(
  read: (
    cursor: TAuditFilters["cursor"],
  ) => Promise<{ rows: { id: string | number }[]; next?: TAuditFilters["cursor"] }>,
): Promise<{ ids: string[]; pages: string[][] }> {
  const pages: string[][] = [];
  let cursor: TAuditFilters["cursor"];
  for (let guard = 0; guard < 100; guard++) {
    const page = await read(cursor);
    pages.push(page.rows.map((row) => String(row.id)));
    if (!page.next) break;
    cursor = page.next;
  }
  return { ids: pages.flat(), pages };
}

describe("[AUDIT] interventions: filters", () => {
  const cases: [string, () => Omit<TInterventionFilters, "kind">][] = [
    ["no filter", () => ({})],
    ["time range", () => ({ from: new Date(T0 - 20 * MINUTE), to: new Date(T0 - 5 * MINUTE) })],
    ["from only", () => ({ from: new Date(TIE) })],
    ["supervisor", () => ({ actor: "sup2" })],
    ["target agent", () => ({ target: "90001_20001" })],
    ["call", () => ({ call: "call-7" })],
    ["operation", () => ({ operation: "substitute" })],
    ...(["confirmed", "unconfirmed", "failed", "interrupted", "in_progress"] as const).map(
      (outcome): [string, () => Omit<TInterventionFilters, "kind">] => [
        `outcome ${outcome}`,
        () => ({ outcome }),
      ],
    ),
    [
      "supervisor, outcome and time",
      () => ({ actor: "sup1", outcome: "confirmed", from: new Date(T0 - 40 * MINUTE) }),
    ],
    ["operation and target", () => ({ operation: "interrupt_call", target: "90002_20002" })],
    ["company", () => ({ company: "90003" })],
  ];

  const actorIdOf = (name: string | undefined) =>
    name === undefined
      ? undefined
      : (Object.values(actors).find((a) => a.name === name)?.id ?? "nobody");

  it.each(cases)("%s, for a company admin and an all-companies admin", async (_name, make) => {
    const f = make();
    const oracle = { ...f, actorId: actorIdOf(f.actor) };
    if (f.company === undefined || f.company === "90001") {
      const scoped = await readInterventions(
        auditScope(viewers.companyAdmin, f.company),
        iv(f),
        500,
      );
      expect(scoped.rows.map((r) => r.id)).toEqual(
        expectedIds(seeded, oracle, ["90001"], [actors.chief.id]),
      );
    }
    const all = await readInterventions(auditScope(viewers.chief, f.company), iv(f), 500);
    const expected = expectedIds(seeded, oracle, "all");
    expect(all.rows.map((r) => r.id)).toEqual(expected);
    expect(expected.length, "a case that matches nothing pins nothing").toBeGreaterThan(0);
  });

  it("a supervisor of another company, named as the actor, matches nothing in mine", async () => {
    const page = await readInterventions(
      auditScope(viewers.supervisor),
      iv({ actor: "other.sup" }),
      500,
    );
    expect(page.rows).toEqual([]);
  });
});

describe("[AUDIT] reach", () => {
  it("a supervisor sees their company's interventions only, without those of wider reach", async () => {
    const page = await readInterventions(auditScope(viewers.supervisor), iv(), 500);
    expect(page.rows.length).toBeGreaterThan(0);
    expect(new Set(page.rows.map((r) => r.companyCode))).toEqual(new Set(["90001"]));
    expect(page.rows.map((r) => r.id)).not.toContain("iv-chief");
    const other = await readInterventions(auditScope(viewers.otherSupervisor), iv(), 500);
    expect(new Set(other.rows.map((r) => r.companyCode))).toEqual(new Set(["90002"]));
  });

  it("an all-companies admin sees every company, and wider reach even within one company", async () => {
    const all = await readInterventions(auditScope(viewers.chief), iv(), 500);
    expect(new Set(all.rows.map((r) => r.companyCode))).toEqual(
      new Set(["90001", "90002", "90003"]),
    );
    const one = await readInterventions(auditScope(viewers.chief, "90001"), iv(), 500);
    expect(one.rows.map((r) => r.id)).toContain("iv-chief");
  });

  it("a company admin's sign-ins and admin view leaves out events by or about all-companies users", async () => {
    const page = await readAccountEvents(auditScope(viewers.companyAdmin), ev(), 500);
    const leaks = page.rows.filter(
      (e) =>
        e.actor.id === actors.chief.id ||
        ("userId" in e.data && e.data.userId === actors.chief.id) ||
        e.ip === "10.7.0.1",
    );
    expect(leaks).toEqual([]);
    expect(page.rows.some((e) => e.type === "logout" && e.actor.id === actors.sup1.id)).toBe(true);
    expect(page.rows.every((e) => e.companyCode === "90001")).toBe(true);
    const all = await readAccountEvents(auditScope(viewers.chief), ev(), 500);
    expect(all.rows.some((e) => e.ip === "10.7.0.1" && e.userAgent === "chief-browser")).toBe(true);
    expect(all.rows.some((e) => e.type === "user.password_reset")).toBe(true);
    // Events of no company (unknown usernames) are the all-companies admin's only.
    expect(all.rows.some((e) => e.companyCode === null)).toBe(true);
    expect(page.rows.some((e) => e.companyCode === null)).toBe(false);
  });

  it("naming an all-companies user as the actor shows a company admin nothing", async () => {
    const page = await readAccountEvents(
      auditScope(viewers.companyAdmin),
      ev({ actor: "chief" }),
      500,
    );
    expect(page.rows).toEqual([]);
    const all = await readAccountEvents(auditScope(viewers.chief), ev({ actor: "chief" }), 500);
    expect(all.rows.map((e) => e.type)).toContain("login.succeeded");
  });

  it("the sign-ins and admin view holds no intervention events", async () => {
    const all = await readAccountEvents(auditScope(viewers.chief), ev(), 500);
    expect(all.rows.length).toBeGreaterThan(5);
    expect(all.rows.filter((e) => e.type.startsWith("intervention."))).toEqual([]);
  });
});

describe("[AUDIT] keyset paging", () => {
  it.each([
    ["an all-companies admin (companies merged)", () => auditScope(viewers.chief)],
    ["a company admin", () => auditScope(viewers.companyAdmin)],
  ])("pages of 4 for %s give every row once, in order, across ties", async (_n, scopeOf) => {
    const scope = scopeOf();
    const full = await readInterventions(scope, iv(), 500);
    expect(full.next).toBeUndefined();
    const { ids, pages } = await allPages((cursor) => readInterventions(scope, iv({ cursor }), 4));
    expect(ids).toEqual(full.rows.map((r) => r.id));
    expect(new Set(ids).size).toBe(ids.length);
    // The test means something only if a page boundary falls inside the tie.
    const tied = new Set(seeded.filter((s) => s.requestedAt.getTime() === TIE).map((s) => s.id));
    const splitsTie = pages.some(
      (page, i) => i > 0 && tied.has(page[0] ?? "") && tied.has(pages[i - 1]?.at(-1) ?? ""),
    );
    expect(splitsTie).toBe(true);
  });

  it("pages keep their filters", async () => {
    const f = { outcome: "confirmed" as const, from: new Date(T0 - 45 * MINUTE) };
    const { ids } = await allPages((cursor) =>
      readInterventions(auditScope(viewers.chief), iv({ ...f, cursor }), 3),
    );
    expect(ids).toEqual(expectedIds(seeded, f, "all"));
  });

  it("sign-in and admin events page by time and id", async () => {
    const scope = auditScope(viewers.chief);
    const full = await readAccountEvents(scope, ev(), 500);
    const { ids } = await allPages((cursor) => readAccountEvents(scope, ev({ cursor }), 2));
    expect(ids).toEqual(full.rows.map((r) => String(r.id)));
    const times = full.rows.map((r) => r.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });
});

describe("[AUDIT] sign-ins and admin: filters", () => {
  it("by event type, actor and time", async () => {
    const scope = auditScope(viewers.chief);
    const logins = await readAccountEvents(scope, ev({ type: "login.succeeded" }), 500);
    expect(logins.rows.length).toBeGreaterThanOrEqual(3);
    expect(logins.rows.every((e) => e.type === "login.succeeded")).toBe(true);
    const sup1 = await readAccountEvents(scope, ev({ actor: "sup1" }), 500);
    expect(sup1.rows.map((e) => e.type).sort()).toEqual(["login.succeeded", "logout"]);
    const window = await readAccountEvents(
      scope,
      ev({ from: new Date(T0 - 4 * MINUTE), to: new Date(T0 - 2 * MINUTE) }),
      500,
    );
    expect(window.rows.map((e) => e.type)).toEqual(["login.succeeded", "logout"]);
  });
});

describe("[AUDIT] timeline", () => {
  it("each step with its time and the time since the step before", async () => {
    const page = await readInterventions(auditScope(viewers.chief), iv({ call: "call-0" }), 10);
    const [row] = page.rows;
    expect(row?.stage).toBe("confirmed");
    expect(row?.reason).toBe("客户投诉：态度恶劣 0");
    expect(
      row?.timeline.map((e) => [e.stage, e.code ?? null, e.at - T0, e.latencyMs ?? null]),
    ).toEqual([
      ["requested", null, 0, null],
      ["sent", null, STEP_MS.sent, STEP_MS.sent],
      ["acked", null, STEP_MS.acked, STEP_MS.acked - STEP_MS.sent],
      ["phone", "callin", STEP_MS.callin, STEP_MS.callin - STEP_MS.acked],
      ["phone", "start_call", STEP_MS.start_call, STEP_MS.start_call - STEP_MS.callin],
      ["confirmed", null, STEP_MS.confirmed, STEP_MS.confirmed - STEP_MS.start_call],
    ]);
  });

  it("a failure carries the CTI's code and message", async () => {
    const page = await readInterventions(auditScope(viewers.chief), iv({ call: "call-2" }), 10);
    const failed = page.rows[0]?.timeline.at(-1);
    expect(failed).toMatchObject({ stage: "failed", code: "4016", detail: "坐席不在通话中" });
    expect(page.rows[0]).toMatchObject({ stage: "failed", code: "4016" });
  });

  it("an event that no longer matches its schema is reported, not dropped silently", async () => {
    await db().auditEvent.create({
      data: {
        at: new Date(T0 - 59 * MINUTE + 5),
        type: "intervention.acked",
        actorKind: "user",
        actorId: actors.sup1.id,
        companyCode: "90001",
        data: JSON.stringify({ interventionId: "iv-058" }),
        interventionId: "iv-058",
      },
    });
    const page = await readAudit(auditScope(viewers.chief), iv({ call: "call-58" }), 10);
    expect(page.invalid).toEqual([expect.objectContaining({ type: "intervention.acked" })]);
    expect(page.rows).toHaveLength(1);
  });
});
