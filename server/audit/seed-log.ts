import "server-only";
import type { TAuditActor, TAuditEventInput } from "@/lib/audit/events";
import type { TOperation, TStage } from "@/lib/interventions/types";
import type { TInterventionFields } from "@/lib/interventions/view";

/**
 * A realistic audit log, generated (npm run audit:seed): several companies with their admins,
 * supervisors, viewers and agents; sign-ins and their failures, admin changes, wall displays,
 * seats and interventions with every stage, in time order over a period. Deterministic for a
 * given seed. Only the events and the Intervention rows they project; no users are created.
 */

/** One item to write, in time order: an audit event, or the Intervention row its events follow. */
export type TSeedItem =
  | { kind: "event"; at: Date; event: TAuditEventInput }
  | { kind: "intervention"; row: TSeedIntervention };

export interface TSeedIntervention extends TInterventionFields {
  reason: string;
  stage: TStage;
  outcome: TStage | null;
  code: string | null;
  message: string | null;
  idempotencyKey: string;
  requestedAt: Date;
  updatedAt: Date;
}

export interface TSeedOptions {
  /** How many events, exactly. */
  events: number;
  /** The log spans [from, to]. */
  from: Date;
  to: Date;
  seed: number;
}

const COMPANIES = ["90001", "90002", "90003", "90004", "90005", "90006"];
const SUPERVISORS_PER_COMPANY = 6;
const VIEWERS_PER_COMPANY = 4;
const AGENTS_PER_COMPANY = 120;
const USER_AGENTS = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36",
];
const WALL_USER_AGENT =
  "Mozilla/5.0 (X11; Linux aarch64) AppleWebKit/537.36 Chrome/128.0 Safari/537.36";
const REASONS = [
  "",
  "",
  "Customer abusive to the agent",
  "Agent asked for help",
  "Compliance: wrong disclosure read",
  "Call far over the handling time",
  "Escalation requested by the customer",
];
const CTI_FAILURES = [
  { code: "1003", msg: "agent is not on a call" },
  { code: "1021", msg: "operated agent not found" },
  { code: "2004", msg: "seat is not checked in" },
];

type TRole = "admin" | "supervisor" | "viewer";

interface TPerson {
  id: string;
  username: string;
  role: TRole;
  companyCode: string;
  allCompanies: boolean;
  ctiAgentId: string | null;
  ip: string;
  userAgent: string;
}

interface TCompany {
  code: string;
  admin: TPerson;
  supervisors: TPerson[];
  viewers: TPerson[];
  agents: string[];
  tokens: { id: string; label: string }[];
}

/** mulberry32: small, fast, good enough to spread a fixture. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function* seedLog(options: TSeedOptions): Generator<TSeedItem> {
  const rand = random(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const int = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
  const hex = (length: number) => {
    let out = "";
    while (out.length < length)
      out += Math.floor(rand() * 2 ** 32)
        .toString(16)
        .padStart(8, "0");
    return out.slice(0, length);
  };
  const uuid = () =>
    `${hex(8)}-${hex(4)}-4${hex(3)}-${pick(["8", "9", "a", "b"])}${hex(3)}-${hex(12)}`;

  const person = (
    username: string,
    role: TRole,
    companyCode: string,
    ctiAgentId: string | null,
    allCompanies = false,
  ): TPerson => ({
    id: hex(32),
    username,
    role,
    companyCode,
    allCompanies,
    ctiAgentId,
    ip: `10.${int(1, 250)}.${int(0, 255)}.${int(1, 254)}`,
    userAgent: pick(USER_AGENTS),
  });
  const companies: TCompany[] = COMPANIES.map((code) => ({
    code,
    admin: person(`admin.${code}`, "admin", code, null),
    supervisors: Array.from({ length: SUPERVISORS_PER_COMPANY }, (_, i) =>
      person(`sup${i + 1}.${code}`, "supervisor", code, `${code}_2000${i + 1}`),
    ),
    viewers: Array.from({ length: VIEWERS_PER_COMPANY }, (_, i) =>
      person(`view${i + 1}.${code}`, "viewer", code, null),
    ),
    agents: Array.from(
      { length: AGENTS_PER_COMPANY },
      (_, i) => `${code}_1${String(i + 1).padStart(4, "0")}`,
    ),
    tokens: [],
  }));
  const root = person("admin", "admin", COMPANIES[0]!, null, true);

  // Episodes average about 3.5 events; their starts are spread evenly over the period.
  const span = options.to.getTime() - options.from.getTime();
  const meanGap = (span / options.events) * 3.5;
  let clock = options.from.getTime();
  let left = options.events;
  /** Events of one episode: each after the previous by `afterMs`. */
  let episode: { afterMs: number; event: TAuditEventInput }[] = [];

  const actor = (p: TPerson): TAuditActor => ({ kind: "user", id: p.id, name: p.username });
  const by = (p: TPerson, company = p.companyCode) => ({
    actor: actor(p),
    companyCode: company,
    ip: p.ip,
    userAgent: p.userAgent,
  });
  const push = (afterMs: number, event: TAuditEventInput) => episode.push({ afterMs, event });
  const ref = (p: TPerson) => ({ userId: p.id, username: p.username });
  const settings = (p: TPerson) => ({
    role: p.role,
    companyCode: p.companyCode,
    allCompanies: p.allCompanies,
    ctiAgentId: p.ctiAgentId,
    ctiExtId: p.ctiAgentId,
  });

  function session(company: TCompany): void {
    const p = pick([...company.supervisors, ...company.supervisors, ...company.viewers]);
    push(0, { type: "login.succeeded", data: ref(p), ...by(p) });
    if (rand() < 0.7) push(int(600_000, 8 * 3_600_000), { type: "logout", data: ref(p), ...by(p) });
  }

  function failures(company: TCompany): void {
    const known = rand() < 0.8;
    const p = pick([...company.supervisors, ...company.viewers]);
    const reason = pick([
      "invalid_credentials",
      "invalid_credentials",
      "invalid_credentials",
      "account_locked",
      "rate_limited",
      "disabled",
    ] as const);
    for (let i = int(1, 3); i > 0; i--) {
      push(int(2_000, 20_000), {
        type: "login.failed",
        data: known
          ? { username: p.username, reason, userId: p.id }
          : { username: `${pick(["root", "test", "agent", "sup"])}${int(1, 99)}`, reason },
        actor: { kind: "anonymous" },
        companyCode: known ? company.code : null,
        ip: known ? p.ip : `203.0.113.${int(1, 254)}`,
        userAgent: pick(USER_AGENTS),
      });
    }
    if (known && reason === "invalid_credentials" && rand() < 0.6) {
      push(int(5_000, 60_000), { type: "login.succeeded", data: ref(p), ...by(p) });
    }
  }

  function adminChange(company: TCompany): void {
    const admin = rand() < 0.2 ? root : company.admin;
    const p = pick([...company.supervisors, ...company.viewers]);
    const meta = by(admin, company.code);
    switch (int(0, 6)) {
      case 0:
        push(0, { type: "user.created", data: { ...ref(p), settings: settings(p) }, ...meta });
        break;
      case 1: {
        const before = settings(p);
        const role: TRole = before.role === "viewer" ? "supervisor" : "viewer";
        push(0, {
          type: "user.updated",
          data: { ...ref(p), before, after: { ...before, role } },
          ...meta,
        });
        break;
      }
      case 2:
        push(0, { type: "user.disabled", data: ref(p), ...meta });
        if (rand() < 0.7)
          push(int(60_000, 86_400_000), { type: "user.enabled", data: ref(p), ...meta });
        break;
      case 3:
        push(0, { type: "user.password_reset", data: ref(p), ...meta });
        break;
      case 4:
      case 5: {
        const token = { id: hex(32), label: `Floor ${int(1, 6)} wall` };
        company.tokens.push(token);
        const expiresAt = rand() < 0.5 ? null : new Date(clock + int(7, 90) * 86_400_000);
        push(0, {
          type: "display_token.created",
          data: {
            tokenId: token.id,
            label: token.label,
            companyCode: company.code,
            expiresAt: expiresAt?.toISOString() ?? null,
          },
          ...meta,
        });
        break;
      }
      default: {
        const token = company.tokens.shift();
        if (!token) return session(company);
        push(0, {
          type: "display_token.revoked",
          data: { tokenId: token.id, label: token.label, companyCode: company.code },
          ...meta,
        });
      }
    }
  }

  function display(company: TCompany): void {
    const token = company.tokens[0];
    const wall = { ip: `10.200.${int(0, 255)}.${int(1, 254)}`, userAgent: WALL_USER_AGENT };
    if (!token || rand() < 0.2) {
      push(0, {
        type: "display_session.refused",
        data: { reason: pick(["token_invalid", "token_used", "rate_limited"] as const) },
        actor: { kind: "anonymous" },
        companyCode: token && rand() < 0.5 ? company.code : null,
        ...wall,
      });
      return;
    }
    const data = { tokenId: token.id, label: token.label, companyCode: company.code };
    const meta = {
      actor: { kind: "display" as const, id: token.id, name: token.label },
      companyCode: company.code,
      ...wall,
    };
    push(0, { type: "display_session.started", data, ...meta });
    if (rand() < 0.5)
      push(int(3_600_000, 20 * 86_400_000), { type: "display_session.ended", data, ...meta });
  }

  function seat(company: TCompany): void {
    const p = pick(company.supervisors);
    const agentId = p.ctiAgentId!;
    push(0, {
      type: "seat.linked",
      data: { agentId, extId: agentId, forced: rand() < 0.1 },
      ...by(p),
    });
    const reason = pick(["unlinked", "unlinked", "kicked_off", "cti_down", "restart"]);
    const meta = reason === "unlinked" ? by(p) : { ...by(p), actor: { kind: "system" as const } };
    push(int(600_000, 8 * 3_600_000), {
      type: "seat.unlinked",
      data: { agentId, reason },
      ...meta,
    });
  }

  function rateLimit(): void {
    push(0, {
      type: "rate_limit.refused",
      data: {
        channel: pick(["sign_in", "display_link"] as const),
        count: int(1, 400),
        since: new Date(clock - int(1_000, 900_000)).toISOString(),
      },
      actor: { kind: "anonymous" },
      companyCode: null,
      ip: `198.51.100.${int(1, 254)}`,
      userAgent: rand() < 0.5 ? null : "python-requests/2.32.3",
    });
  }

  function intervention(company: TCompany): TSeedIntervention {
    const p = pick(company.supervisors);
    const id = uuid();
    const operation: TOperation = rand() < 0.65 ? "interrupt_call" : "substitute";
    const seatAgentId = p.ctiAgentId!;
    const targetAgentId = pick(company.agents);
    const callUuid = uuid();
    const reason = pick(REASONS);
    const meta = by(p);
    const ref = { interventionId: id };
    push(0, {
      type: "intervention.requested",
      data: { ...ref, operation, seatAgentId, targetAgentId, callUuid, reason },
      ...meta,
    });
    push(int(5, 40), { type: "intervention.sent", data: ref, ...meta });
    const roll = rand();
    let stage: TStage;
    let failure: { code: string; msg: string } | undefined;
    if (roll < 0.08) {
      const cause = pick(["cti", "cti", "timeout", "cti_down"] as const);
      failure =
        cause === "cti"
          ? pick(CTI_FAILURES)
          : cause === "timeout"
            ? { code: "timeout", msg: "no answer from the CTI within 5000 ms" }
            : { code: "cti_down", msg: "the seat's channel is closed" };
      const latencyMs = cause === "timeout" ? 5000 : int(20, 900);
      push(latencyMs, {
        type: "intervention.failed",
        data: { ...ref, cause, ...failure, latencyMs },
        ...meta,
      });
      stage = "failed";
    } else if (roll < 0.12) {
      const lastStage = rand() < 0.5 ? "sent" : "acked";
      if (lastStage === "acked")
        push(int(50, 800), {
          type: "intervention.acked",
          data: { ...ref, latencyMs: int(50, 800) },
          ...meta,
        });
      push(int(30_000, 600_000), {
        type: "intervention.interrupted",
        data: { ...ref, lastStage },
        actor: { kind: "system", name: "restart" },
        companyCode: company.code,
        ip: null,
        userAgent: null,
      });
      stage = "interrupted";
    } else {
      const ackMs = int(50, 800);
      push(ackMs, {
        type: "intervention.acked",
        data: {
          ...ref,
          latencyMs: ackMs,
          ...(operation === "substitute" ? { legUuid: uuid() } : {}),
        },
        ...meta,
      });
      const confirmed = roll < 0.92;
      if (operation === "substitute") {
        push(int(500, 3_000), {
          type: "intervention.phone",
          data: { ...ref, event: "callin", uuid: uuid() },
          ...meta,
        });
        if (confirmed)
          push(int(500, 2_000), {
            type: "intervention.phone",
            data: { ...ref, event: "start_call" },
            ...meta,
          });
      }
      if (confirmed) {
        push(int(100, 2_000), {
          type: "intervention.confirmed",
          data: { ...ref, latencyMs: int(300, 3_000) },
          ...meta,
        });
        if (operation === "substitute") {
          push(int(30_000, 600_000), {
            type: "intervention.phone",
            data: { ...ref, event: "end_call" },
            ...meta,
          });
        }
        stage = "confirmed";
      } else {
        push(10_000, {
          type: "intervention.unconfirmed",
          data: { ...ref, deadlineMs: 10_000 },
          ...meta,
        });
        stage = "unconfirmed";
      }
    }
    return {
      id,
      companyCode: company.code,
      operation,
      actorId: p.id,
      actorName: p.username,
      seatAgentId,
      targetAgentId,
      callUuid,
      reason,
      stage,
      outcome: stage,
      code: failure?.code ?? null,
      message: failure?.msg ?? null,
      idempotencyKey: uuid(),
      requestedAt: new Date(0),
      updatedAt: new Date(0),
    };
  }

  const kinds: [number, (company: TCompany) => TSeedIntervention | void][] = [
    [45, intervention],
    [24, session],
    [12, failures],
    [7, adminChange],
    [6, display],
    [5, seat],
    [1, rateLimit],
  ];
  const totalWeight = kinds.reduce((sum, [weight]) => sum + weight, 0);
  // Episodes overlap (a logout hours after its sign-in): events wait here, earliest first.
  const pending = new EventHeap();
  const end = options.to.getTime();

  while (left > 0) {
    episode = [];
    let draw = rand() * totalWeight;
    const [, make] = kinds.find(([weight]) => (draw -= weight) < 0) ?? kinds[0]!;
    let row = make(pick(companies)) ?? undefined;
    // The last events: single failed sign-ins, so that the count is exact.
    if (episode.length > left) {
      row = undefined;
      episode = [];
      failuresOfOne();
    }
    clock = Math.min(end, clock + Math.max(1, Math.round(-Math.log(1 - rand()) * meanGap)));
    yield* pending.until(clock);
    let at = clock;
    for (const [i, { afterMs, event }] of episode.entries()) {
      at = Math.min(end, at + afterMs);
      const item: TSeedItem = { kind: "event", at: new Date(at), event };
      if (i === 0 && row) {
        row.requestedAt = item.at;
        pending.push([{ kind: "intervention", row }, item], at);
      } else {
        pending.push([item], at);
      }
    }
    if (row) row.updatedAt = new Date(at);
    left -= episode.length;
  }
  yield* pending.until(Infinity);

  function failuresOfOne(): void {
    push(0, {
      type: "login.failed",
      data: { username: `guest${int(1, 99)}`, reason: "invalid_credentials" },
      actor: { kind: "anonymous" },
      companyCode: null,
      ip: `203.0.113.${int(1, 254)}`,
      userAgent: pick(USER_AGENTS),
    });
  }
}

/** Items waiting for their time: a binary min-heap on (time, arrival). */
class EventHeap {
  private readonly heap: { at: number; seq: number; items: TSeedItem[] }[] = [];
  private seq = 0;

  push(items: TSeedItem[], at: number): void {
    const heap = this.heap;
    heap.push({ at, seq: this.seq++, items });
    for (let i = heap.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  /** Every item due at or before `time`, in order. */
  *until(time: number): Generator<TSeedItem> {
    const heap = this.heap;
    while (heap.length > 0 && heap[0]!.at <= time) {
      const top = heap[0]!;
      const last = heap.pop()!;
      if (heap.length > 0) {
        heap[0] = last;
        for (let i = 0; ;) {
          const left = 2 * i + 1;
          const right = left + 1;
          let least = i;
          if (left < heap.length && this.before(left, least)) least = left;
          if (right < heap.length && this.before(right, least)) least = right;
          if (least === i) break;
          [heap[i], heap[least]] = [heap[least]!, heap[i]!];
          i = least;
        }
      }
      yield* top.items;
    }
  }

  private before(a: number, b: number): boolean {
    const x = this.heap[a]!;
    const y = this.heap[b]!;
    return x.at < y.at || (x.at === y.at && x.seq < y.seq);
  }
}
