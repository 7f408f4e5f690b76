import { beforeAll, describe, expect, it } from "vitest";
import type { TViewer } from "@/lib/auth/viewer";
import { cookieHeader, prepareAuthEnvironment, requestHeaders } from "../auth/harness";
import { expectedIds, interventions, MINUTE, T0, type TActors } from "./fixture";

/**
 * [AUDIT] GET /api/audit/export: who may export (role and company, as for the page), the CSV
 * itself (UTF-8 with BOM, Chinese text, one row per intervention or event, formulas defused,
 * the reader's reach) and that it streams: rows appended while it is being read still arrive,
 * which a response built from the whole result up front could not do.
 */
prepareAuthEnvironment();

const { db } = await import("@/server/db");
const { insertUser } = await import("@/server/auth/users");
const { signIn } = await import("@/server/auth/sign-in");
const { createDisplayToken, exchangeDisplayToken } = await import("@/server/auth/display");
const { CSV_PAGE_SIZE } = await import("@/server/audit/query");
const { seedEvents, seedInterventions } = await import("./seed");
const exportRoute = await import("@/app/api/audit/export/route");

const PASSWORD = "audit-export-pass-1";
const NO_META = { ip: null, userAgent: null };
const BOM = [0xef, 0xbb, 0xbf];
const BULK = CSV_PAGE_SIZE * 2 + 100;
const cookies = {} as Record<
  "viewer" | "display" | "supervisor" | "otherSupervisor" | "companyAdmin" | "chief",
  string
>;
let actors: TActors;
let seeded: ReturnType<typeof interventions>;
let bulkRows: ReturnType<typeof interventions>;

async function sessionCookie(username: string): Promise<string> {
  const result = await signIn(
    { username, password: PASSWORD },
    requestHeaders({ cookie: "", ip: "10.9.0.1" }),
    NO_META,
  );
  if (!result.ok) throw new Error(`sign-in of ${username} failed: ${result.code}`);
  return cookieHeader(result.data.setCookies);
}

function get(cookie: string, query: string, locale: "zh-CN" | "en" = "zh-CN"): Promise<Response> {
  return exportRoute.GET(
    new Request(`http://127.0.0.1:3399/api/audit/export?${query}`, {
      headers: requestHeaders({ cookie, ip: "10.9.0.2", locale }),
    }),
  );
}

async function csv(response: Response): Promise<{ bytes: Uint8Array; lines: string[] }> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  return {
    bytes,
    lines: text
      .replace(/^\uFEFF/, "")
      .split("\r\n")
      .filter(Boolean),
  };
}

beforeAll(async () => {
  const user = async (
    username: string,
    role: "viewer" | "supervisor" | "admin",
    companyCode: string,
    allCompanies = false,
  ) => ({
    id: await insertUser(
      {
        username,
        password: PASSWORD,
        role,
        companyCode,
        allCompanies,
        ...(role === "supervisor"
          ? { ctiAgentId: `${companyCode}_20004`, ctiExtId: `${companyCode}_20004` }
          : {}),
      },
      { kind: "system" },
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
  await user("viewer", "viewer", "90001");
  await user("home.admin", "admin", "90001");
  const bulk = await user("bulk.sup", "supervisor", "90005");
  seeded = interventions(actors);
  await seedInterventions(seeded);
  bulkRows = Array.from({ length: BULK }, (_, i) => ({
    id: `bulk-${String(i).padStart(5, "0")}`,
    companyCode: "90005",
    operation: "substitute" as const,
    actor: bulk,
    targetAgentId: "90005_20001",
    callUuid: `bulk-call-${i}`,
    reason: "批量",
    requestedAt: new Date(T0 - i * 1000),
    outcome: "confirmed" as const,
  }));
  await seedInterventions(bulkRows);
  await seedEvents([
    {
      at: new Date(T0 - MINUTE),
      event: {
        type: "login.succeeded",
        data: { userId: actors.chief.id, username: "chief" },
        actor: { kind: "user", id: actors.chief.id, name: "chief" },
        companyCode: "90001",
        ip: "10.7.0.1",
        userAgent: "chief-browser",
      },
    },
  ]);
  const chief: TViewer = {
    kind: "user",
    id: actors.chief.id,
    name: "chief",
    role: "admin",
    companies: "all",
  };
  const token = await createDisplayToken(chief, { label: "Wall", companyCode: "90001" }, NO_META);
  if (!token.ok) throw new Error("token creation failed");
  const exchanged = await exchangeDisplayToken(token.data.secret, NO_META);
  if (!exchanged.ok) throw new Error("token exchange failed");
  cookies.display = `floorwatch.display=${exchanged.data.sessionSecret}`;
  cookies.viewer = await sessionCookie("viewer");
  cookies.supervisor = await sessionCookie("sup1");
  cookies.otherSupervisor = await sessionCookie("other.sup");
  cookies.companyAdmin = await sessionCookie("home.admin");
  cookies.chief = await sessionCookie("chief");
});

describe("[AUDIT] export: who may", () => {
  it.each([
    ["anonymous", "", "", 401, "unauthenticated"],
    ["a viewer", "viewer", "", 403, "forbidden_role"],
    ["a wall display", "display", "", 403, "forbidden_role"],
    ["a supervisor, for another company", "supervisor", "company=90002", 403, "forbidden_company"],
    [
      "a company admin, for another company",
      "companyAdmin",
      "company=90005",
      403,
      "forbidden_company",
    ],
    [
      "a supervisor, with a filter that is not valid",
      "supervisor",
      "outcome=won",
      400,
      "invalid_input",
    ],
  ] as const)("%s is refused with {code, message}", async (_who, caller, query, status, code) => {
    const response = await get(caller ? cookies[caller] : "", query);
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await response.json()) as { code: string; message: string };
    expect(body.code).toBe(code);
    expect(body.message.length).toBeGreaterThan(0);
  });

  it("a supervisor exports their own company's interventions, and only those", async () => {
    const response = await get(cookies.supervisor, "company=90001");
    expect(response.status).toBe(200);
    const { lines } = await csv(response);
    const expected = expectedIds(seeded, {}, ["90001"], [actors.chief.id]);
    expect(lines.length).toBe(1 + expected.length);
    expect(lines.slice(1).map((line) => /^[^,]*,([^,]*),/.exec(line)?.[1])).toEqual(expected);
  });
});

describe("[AUDIT] export: itself audited", () => {
  it("records who exported which view with which filters, and refused exports record nothing", async () => {
    const exported = () =>
      db().auditEvent.findMany({ where: { type: "audit.exported" }, orderBy: { id: "asc" } });
    const before = (await exported()).length;
    await get(cookies.viewer, "company=90001");
    expect((await exported()).length).toBe(before);
    const response = await get(cookies.supervisor, "company=90001&operation=substitute");
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    const rows = await exported();
    expect(rows.length).toBe(before + 1);
    const row = rows.at(-1)!;
    expect(row).toMatchObject({ actorName: "sup1", companyCode: "90001", ip: "10.9.0.2" });
    expect(JSON.parse(row.data)).toEqual({
      kind: "interventions",
      query: "?company=90001&operation=substitute",
    });
  });
});

describe("[AUDIT] export: the file", () => {
  it("is UTF-8 with a BOM, Chinese headers and text, one row per intervention, newest first", async () => {
    const response = await get(cookies.supervisor, "outcome=confirmed");
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="floorwatch-audit-interventions-\d{8}-\d{4}\.csv"$/,
    );
    expect(response.headers.get("cache-control")).toBe("no-store");
    const { bytes, lines } = await csv(response);
    expect([...bytes.slice(0, 3)]).toEqual(BOM);
    expect(lines[0]).toMatch(/^请求时间\(Asia\/Shanghai\),编号,企业,班长,/);
    const expected = expectedIds(seeded, { outcome: "confirmed" }, ["90001"], [actors.chief.id]);
    expect(lines.length).toBe(1 + expected.length);
    const first = lines.find((line) => line.includes(",iv-000,"));
    // 2026-11-30 10:00 in Shanghai; operation and outcome in the reader's language; the
    // timeline's key times and the CTI's answer time (acked - sent) and request-to-outcome time.
    expect(first).toBe(
      "2026-11-30 10:00:00.000,iv-000,90001,sup1,90001_20004,代接,90001_20000,call-0,客户投诉：态度恶劣 0,已确认,,," +
        "2026-11-30 10:00:00.020,2026-11-30 10:00:00.150,130,2026-11-30 10:00:00.900,2026-11-30 10:00:01.200,1200",
    );
  });

  it("of every company: every row once, newest first across companies, ties in time by id", async () => {
    // 90005's rows are a second apart from T0 and 90001's a minute apart from T0, so the export
    // merges them row by row, and bulk-00000 and iv-000 share T0; the pages of each company are
    // read a few dozen rows at a time (EXPORT_READ_SIZE), far fewer than it has.
    const { lines } = await csv(await get(cookies.chief, ""));
    const ids = lines.slice(1).map((line) => line.split(",")[1]);
    expect(ids).toEqual(expectedIds([...seeded, ...bulkRows], {}, "all"));
  });

  it("failures carry the CTI's code and message; in English for an English reader", async () => {
    const { lines } = await csv(await get(cookies.supervisor, "outcome=failed", "en"));
    expect(lines[0]).toMatch(/^Requested at \(Asia\/Shanghai\),ID,Company,Supervisor,/);
    expect(lines.slice(1).every((line) => line.includes(",Failed,4016,坐席不在通话中,"))).toBe(
      true,
    );
    expect(lines.length).toBeGreaterThan(1);
  });

  it("text a spreadsheet would run as a formula starts with an apostrophe", async () => {
    const { lines } = await csv(await get(cookies.supervisor, "call=call-3"));
    expect(lines[1]).toContain(`,"'=HYPERLINK(""http://x"")",`);
  });

  it("the sign-ins and admin view exports one row per event, within the reader's reach", async () => {
    const all = await csv(await get(cookies.chief, "kind=events&type=login.succeeded"));
    expect([...all.bytes.slice(0, 3)]).toEqual(BOM);
    expect(all.lines[0]).toMatch(/^时间\(Asia\/Shanghai\),编号,事件,事件代码,/);
    const chiefLogin = all.lines.find((line) => line.includes("10.7.0.1"));
    expect(chiefLogin).toMatch(
      /,登录成功,login\.succeeded,user,chief,90001,10\.7\.0\.1,chief-browser,/,
    );
    const count = await db().auditEvent.count({ where: { type: "login.succeeded" } });
    expect(all.lines.length).toBe(1 + count);
    const scoped = await csv(await get(cookies.companyAdmin, "kind=events"));
    expect(scoped.lines.length).toBeGreaterThan(1);
    expect(
      scoped.lines.filter((line) => line.includes("10.7.0.1") || line.includes("chief")),
    ).toEqual([]);
  });
});

describe("[AUDIT] export: streaming", () => {
  it("yields the first page before the last is read", async () => {
    const response = await get(cookies.chief, "company=90005");
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
    const header = await reader.read();
    const firstPage = await reader.read();
    expect(header.done || firstPage.done).toBe(false);
    expect(decoder.decode(firstPage.value).split("\r\n").filter(Boolean)).toHaveLength(
      CSV_PAGE_SIZE,
    );
    // Older than every row: it lands on the last page, which has not been read yet.
    await seedInterventions([
      {
        id: "bulk-late",
        companyCode: "90005",
        operation: "interrupt_call",
        actor: { id: "late", name: "late" },
        targetAgentId: "90005_20009",
        callUuid: "late-call",
        reason: "读取中追加",
        requestedAt: new Date(T0 - 24 * 60 * MINUTE),
        outcome: "failed",
      },
    ]);
    let rest = "";
    let chunks = 2;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks++;
      rest += decoder.decode(value, { stream: true });
    }
    const lines = rest.split("\r\n").filter(Boolean);
    expect(chunks).toBeGreaterThanOrEqual(4);
    expect(lines).toHaveLength(BULK + 1 - CSV_PAGE_SIZE);
    expect(lines.at(-1)).toContain(",bulk-late,90005,late,");
    expect(lines.at(-1)).toContain("读取中追加");
  });
});
