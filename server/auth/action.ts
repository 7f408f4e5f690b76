import { headers } from "next/headers";
import type { z } from "zod";
import type { TActionResult } from "@/lib/auth/errors";
import { canAccessCompany, type TViewer } from "@/lib/auth/viewer";
import type { TLocale } from "@/lib/i18n/config";
import { logger } from "../log";
import { failure, invalidInput, localeOf } from "./messages";
import { requestMeta, type TRequestMeta } from "./request-meta";
import type { TServiceResult } from "./service";
import { accessRefusal, getViewer, type TAccessRule } from "./session";

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
  /** Roles admitted; default: signed-in users (viewer, supervisor, admin), never displays. */
  roles?: TAccessRule["roles"];
  /** The company the validated input acts on; the viewer must have access to it. */
  company?: (input: z.output<S>) => string | undefined;
}

/**
 * The one way to write a server action (after dub's safe-action): session, role, zod input,
 * company, then the handler. Expected failures come back as `{ok:false, code, message}` in the
 * caller's language, never thrown; an unexpected error is logged and returned as `internal`.
 */
export function defineAction<S extends z.ZodType, R>(
  spec: TActionSpec<S>,
  handler: (ctx: TActionContext<z.output<S>> & { viewer: TViewer }) => Promise<TServiceResult<R>>,
): (raw: unknown) => Promise<TActionResult<R>> {
  return async (raw) => {
    const headerList = new Headers(await headers());
    const locale = localeOf(headerList);
    try {
      const viewer = await getViewer();
      const refusal = accessRefusal(viewer, { roles: spec.roles });
      if (refusal || !viewer) return failure(refusal ?? "unauthenticated", locale);
      const parsed = spec.input.safeParse(raw);
      if (!parsed.success) return invalidInput(parsed.error, raw, locale);
      const company = spec.company?.(parsed.data);
      if (company !== undefined && !canAccessCompany(viewer, company))
        return failure("forbidden_company", locale);
      const result = await handler({
        viewer,
        input: parsed.data,
        meta: requestMeta(headerList),
        locale,
        headers: headerList,
      });
      return result.ok ? result : failure(result.code, locale);
    } catch (error) {
      logger().error({ err: error, action: spec.name }, "action failed");
      return failure("internal", locale);
    }
  };
}

/** An action open to anonymous callers (sign-in): input validated, no session required. */
export function definePublicAction<S extends z.ZodType, R>(
  spec: Pick<TActionSpec<S>, "name" | "input">,
  handler: (ctx: TActionContext<z.output<S>>) => Promise<TServiceResult<R>>,
): (raw: unknown) => Promise<TActionResult<R>> {
  return async (raw) => {
    const headerList = new Headers(await headers());
    const locale = localeOf(headerList);
    try {
      const parsed = spec.input.safeParse(raw);
      if (!parsed.success) return invalidInput(parsed.error, raw, locale);
      const result = await handler({
        input: parsed.data,
        meta: requestMeta(headerList),
        locale,
        headers: headerList,
      });
      return result.ok ? result : failure(result.code, locale);
    } catch (error) {
      logger().error({ err: error, action: spec.name }, "action failed");
      return failure("internal", locale);
    }
  };
}
