import "server-only";
import { headers } from "next/headers";
import type { z } from "zod";
import { canAccessCompany, type TViewer } from "@/lib/auth/viewer";
import type { TActionResult, TErrorCode } from "@/lib/errors";
import type { TLocale } from "@/lib/i18n/config";
import { accessRefusal, getViewer, type TAccessRule } from "./auth/session";
import { requestMeta, type TRequestMeta } from "./auth/request-meta";
import { failure, invalidInput } from "./errors";
import { localeOf } from "./locale";
import { logger } from "./log";

/** What a handler returns: its data, or an expected failure's registered code (and the values its message names). */
export type TServiceResult<T> =
  { ok: true; data: T } | { ok: false; code: TErrorCode; values?: Record<string, string | number> };

export interface TActionContext<I> {
  input: I;
  meta: TRequestMeta;
  locale: TLocale;
  headers: Headers;
}

interface TActionSpec<S extends z.ZodType> {
  /** Logged with unexpected failures. */
  name: string;
  input: S;
  /** The company the validated input acts on; the viewer must have access to it. */
  company?: (input: z.output<S>) => string | undefined;
}

type THandler<S extends z.ZodType, C, R> = (
  ctx: TActionContext<z.output<S>> & C,
) => Promise<TServiceResult<R>>;

/**
 * The one pipeline every server action runs (after dub's safe-action): caller → zod input →
 * the caller's check of the input (company) → handler. Expected failures come back as
 * `{ok:false, code, message}` in the caller's language, never thrown; an unexpected error is
 * logged and returned as `internal`.
 */
function createAction<S extends z.ZodType, C extends object, R>(
  spec: TActionSpec<S>,
  authorize: (locale: TLocale) => Promise<C | { refused: TErrorCode }>,
  checkInput: (caller: C, input: z.output<S>) => TErrorCode | null,
  handler: THandler<S, C, R>,
): (raw: unknown) => Promise<TActionResult<R>> {
  return async (raw) => {
    const headerList = new Headers(await headers());
    const locale = localeOf(headerList);
    try {
      const caller = await authorize(locale);
      if ("refused" in caller) return failure(caller.refused, locale);
      const parsed = spec.input.safeParse(raw);
      if (!parsed.success) return invalidInput(parsed.error, raw, locale);
      const refused = checkInput(caller, parsed.data);
      if (refused) return failure(refused, locale);
      const meta = requestMeta(headerList);
      const result = await handler({
        ...caller,
        input: parsed.data,
        meta,
        locale,
        headers: headerList,
      });
      return result.ok ? result : failure(result.code, locale, undefined, result.values);
    } catch (error) {
      logger().error({ err: error, action: spec.name }, "action failed");
      return failure("internal", locale);
    }
  };
}

/** A server action for signed-in callers: session → role → zod → company, then the handler. */
export function defineAction<S extends z.ZodType, R>(
  spec: TActionSpec<S> & {
    /** Roles admitted; default: signed-in users (viewer, supervisor, admin), never displays. */
    roles?: TAccessRule["roles"];
  },
  handler: THandler<S, { viewer: TViewer }, R>,
): (raw: unknown) => Promise<TActionResult<R>> {
  return createAction(
    spec,
    async () => {
      const viewer = await getViewer();
      const refusal = accessRefusal(viewer, { roles: spec.roles });
      return refusal || !viewer ? { refused: refusal ?? "unauthenticated" } : { viewer };
    },
    ({ viewer }, input) => {
      const company = spec.company?.(input);
      return company !== undefined && !canAccessCompany(viewer, company)
        ? "forbidden_company"
        : null;
    },
    handler,
  );
}

/** A server action open to anonymous callers (sign-in, language): zod input, then the handler. */
export function definePublicAction<S extends z.ZodType, R>(
  spec: TActionSpec<S>,
  handler: THandler<S, object, R>,
): (raw: unknown) => Promise<TActionResult<R>> {
  return createAction(
    spec,
    async () => ({}),
    () => null,
    handler,
  );
}
