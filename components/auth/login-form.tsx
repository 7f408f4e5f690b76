"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { signInAction } from "@/actions/sign-in";
import { safeNextPath } from "@/lib/auth/redirect";
import type { TActionFailure } from "@/lib/errors";
import { BUTTON, FormField, FormMessage } from "./form-field";
import { useHydrated } from "./use-hydrated";

export function LoginForm({ next }: { next: string | undefined }) {
  const t = useTranslations("auth.login");
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [failure, setFailure] = useState<TActionFailure | null>(null);
  const hydrated = useHydrated();

  return (
    <form
      method="post"
      className="flex flex-col gap-4"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        startTransition(async () => {
          const result = await signInAction({
            username: form.get("username"),
            password: form.get("password"),
          });
          if (!result.ok) {
            setFailure(result);
            return;
          }
          router.replace(safeNextPath(next));
          router.refresh();
        });
      }}
    >
      {failure ? <FormMessage tone="error">{failure.message}</FormMessage> : null}
      <FormField
        label={t("username")}
        name="username"
        autoComplete="username"
        autoFocus
        maxLength={64}
        error={failure?.fieldErrors?.username}
      />
      <FormField
        label={t("password")}
        name="password"
        type="password"
        autoComplete="current-password"
        maxLength={256}
        error={failure?.fieldErrors?.password}
      />
      <button
        type="submit"
        className={BUTTON}
        disabled={pending || !hydrated}
        data-testid="login-submit"
      >
        {pending ? t("submitting") : t("submit")}
      </button>
    </form>
  );
}
