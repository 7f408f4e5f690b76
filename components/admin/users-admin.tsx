"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { createUserAction } from "@/actions/create-user";
import { updateUserAction } from "@/actions/update-user";
import { setUserDisabledAction } from "@/actions/set-user-disabled";
import { resetPasswordAction } from "@/actions/reset-password";
import type { TActionResult } from "@/lib/errors";
import type { TUserSummary } from "@/lib/auth/summaries";
import { PASSWORD_MAX, USERNAME_MAX } from "@/lib/auth/schemas";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import {
  BUTTON,
  BUTTON_DANGER,
  BUTTON_SECONDARY,
  FormField,
  FormMessage,
} from "@/components/auth/form-field";
import { useHydrated } from "@/components/auth/use-hydrated";
import { UserFields, userFieldsFromForm } from "./user-fields";

type TNotice = {
  tone: "error" | "success";
  text: string;
  fieldErrors?: Record<string, string> | undefined;
} | null;

/** Runs an action, refreshes the page's data on success, and says what happened. */
function useAction() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [notice, setNotice] = useState<TNotice>(null);
  const run = <T,>(call: () => Promise<TActionResult<T>>, success: string, after?: () => void) =>
    startTransition(async () => {
      const result = await call();
      if (!result.ok) {
        setNotice({ tone: "error", text: result.message, fieldErrors: result.fieldErrors });
        return;
      }
      setNotice({ tone: "success", text: success });
      after?.();
      router.refresh();
    });
  return { pending, notice, run, setNotice };
}

export function UsersAdmin({
  users,
  companies,
  canGrantAll,
  selfId,
}: {
  users: TUserSummary[];
  companies: string[];
  canGrantAll: boolean;
  selfId: string;
}) {
  const t = useTranslations("admin.users");
  return (
    <div className="flex flex-col gap-6">
      <CreateUserForm companies={companies} canGrantAll={canGrantAll} />
      <Card title={t("title")}>
        {users.length === 0 ? (
          <p className="text-slate-500">{t("empty")}</p>
        ) : (
          <ul className="divide-y divide-slate-100 dark:divide-slate-800" data-testid="users-list">
            {users.map((user) => (
              <UserRow
                key={user.id}
                user={user}
                companies={companies}
                canGrantAll={canGrantAll}
                isSelf={user.id === selfId}
              />
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}

function CreateUserForm({ companies, canGrantAll }: { companies: string[]; canGrantAll: boolean }) {
  const t = useTranslations("admin.users");
  const { pending, notice, run } = useAction();
  const [formKey, setFormKey] = useState(0);
  const hydrated = useHydrated();
  return (
    <Card title={t("create")}>
      <form
        method="post"
        key={formKey}
        noValidate
        data-testid="create-user-form"
        className="grid gap-4 md:grid-cols-2"
        onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          const username = String(form.get("username") ?? "");
          run(
            () =>
              createUserAction({
                username: form.get("username"),
                password: form.get("password"),
                ...userFieldsFromForm(form),
              }),
            t("created", { username }),
            () => setFormKey((k) => k + 1),
          );
        }}
      >
        {notice ? (
          <div className="md:col-span-2">
            <FormMessage tone={notice.tone}>{notice.text}</FormMessage>
          </div>
        ) : null}
        <FormField
          id="new-username"
          label={t("username")}
          name="username"
          maxLength={USERNAME_MAX + 8}
          autoComplete="off"
          error={notice?.fieldErrors?.username}
        />
        <FormField
          id="new-password"
          label={t("password")}
          name="password"
          type="password"
          autoComplete="new-password"
          maxLength={PASSWORD_MAX + 8}
          error={notice?.fieldErrors?.password}
        />
        <UserFields
          prefix="new"
          initial={{
            role: "viewer",
            companyCode: companies[0] ?? "",
            allCompanies: false,
            ctiAgentId: "",
            ctiExtId: "",
          }}
          companies={companies}
          canGrantAll={canGrantAll}
          errors={notice?.fieldErrors}
        />
        <div className="md:col-span-2">
          <button
            type="submit"
            className={BUTTON}
            disabled={pending || !hydrated}
            data-testid="create-user-submit"
          >
            {t("create")}
          </button>
        </div>
      </form>
    </Card>
  );
}

function UserRow({
  user,
  companies,
  canGrantAll,
  isSelf,
}: {
  user: TUserSummary;
  companies: string[];
  canGrantAll: boolean;
  isSelf: boolean;
}) {
  const t = useTranslations("admin.users");
  const tRoles = useTranslations("auth.roles");
  const tAccount = useTranslations("auth.account");
  const format = useFormatter();
  const { pending, notice, run } = useAction();
  const [mode, setMode] = useState<"view" | "edit" | "password">("view");
  return (
    <li className="flex flex-col gap-3 py-3" data-testid={`user-${user.username}`}>
      <div className="flex flex-wrap items-center gap-3">
        <span className="font-mono font-medium">{user.username}</span>
        {isSelf ? <span className="text-xs text-slate-500">({t("you")})</span> : null}
        <Badge tone="neutral">{tRoles(user.role)}</Badge>
        <span className="text-sm text-slate-600 dark:text-slate-300">
          {user.allCompanies ? tAccount("allCompanies") : user.companyCode}
        </span>
        {user.ctiAgentId ? (
          <span className="font-mono text-sm text-slate-500">{user.ctiAgentId}</span>
        ) : null}
        <Badge tone={user.disabled ? "bad" : "good"}>
          <span data-testid="user-status">{user.disabled ? t("disabled") : t("active")}</span>
        </Badge>
        {user.lockedUntil ? (
          <Badge tone="warn">
            {t("lockedUntil", { time: format.dateTime(user.lockedUntil, { timeStyle: "short" }) })}
          </Badge>
        ) : null}
        {isSelf ? null : (
          <div className="ml-auto flex gap-2">
            <button
              type="button"
              className={BUTTON_SECONDARY}
              onClick={() => setMode(mode === "edit" ? "view" : "edit")}
            >
              {t("edit")}
            </button>
            <button
              type="button"
              className={BUTTON_SECONDARY}
              onClick={() => setMode(mode === "password" ? "view" : "password")}
            >
              {t("resetPassword")}
            </button>
            <button
              type="button"
              className={user.disabled ? BUTTON_SECONDARY : BUTTON_DANGER}
              disabled={pending}
              data-testid="toggle-disabled"
              onClick={() =>
                run(
                  () => setUserDisabledAction({ userId: user.id, disabled: !user.disabled }),
                  user.disabled ? t("enabledDone") : t("disabledDone"),
                )
              }
            >
              {user.disabled ? t("enable") : t("disable")}
            </button>
          </div>
        )}
      </div>
      {notice ? <FormMessage tone={notice.tone}>{notice.text}</FormMessage> : null}
      {mode === "edit" ? (
        <form
          method="post"
          noValidate
          className="grid gap-3 md:grid-cols-2"
          onSubmit={(event) => {
            event.preventDefault();
            const form = new FormData(event.currentTarget);
            run(
              () => updateUserAction({ userId: user.id, ...userFieldsFromForm(form) }),
              t("saved"),
              () => setMode("view"),
            );
          }}
        >
          <UserFields
            prefix={`edit-${user.id}`}
            initial={{ ...user, ctiAgentId: user.ctiAgentId ?? "", ctiExtId: user.ctiExtId ?? "" }}
            companies={companies}
            canGrantAll={canGrantAll}
            errors={notice?.fieldErrors}
          />
          <div className="flex gap-2 md:col-span-2">
            <button type="submit" className={BUTTON} disabled={pending}>
              {t("save")}
            </button>
            <button type="button" className={BUTTON_SECONDARY} onClick={() => setMode("view")}>
              {t("cancel")}
            </button>
          </div>
        </form>
      ) : null}
      {mode === "password" ? (
        <form
          method="post"
          noValidate
          className="flex flex-wrap items-end gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            const form = new FormData(event.currentTarget);
            run(
              () => resetPasswordAction({ userId: user.id, password: form.get("password") }),
              t("passwordReset"),
              () => setMode("view"),
            );
          }}
        >
          <FormField
            id={`password-${user.id}`}
            label={t("newPassword")}
            name="password"
            type="password"
            autoComplete="new-password"
            maxLength={PASSWORD_MAX + 8}
            error={notice?.fieldErrors?.password}
          />
          <button type="submit" className={BUTTON} disabled={pending}>
            {t("resetPassword")}
          </button>
        </form>
      ) : null}
    </li>
  );
}
