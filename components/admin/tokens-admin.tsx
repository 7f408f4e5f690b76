"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { createDisplayTokenAction } from "@/actions/create-display-token";
import { revokeDisplayTokenAction } from "@/actions/revoke-display-token";
import { updateDisplayTokenAction } from "@/actions/update-display-token";
import type { TActionFailure } from "@/lib/errors";
import type { TDisplayTokenSummary } from "@/lib/auth/summaries";
import { LABEL_MAX } from "@/lib/auth/schemas";
import { DEFAULT_DISPLAY_SETTINGS } from "@/lib/wall/types";
import { Badge, type TBadgeTone } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import {
  BUTTON,
  BUTTON_DANGER,
  BUTTON_SECONDARY,
  FormField,
  FormMessage,
} from "@/components/auth/form-field";
import { useHydrated } from "@/components/auth/use-hydrated";

const STATUS_TONE: Record<TDisplayTokenSummary["status"], TBadgeTone> = {
  active: "good",
  expired: "warn",
  revoked: "bad",
};

export function TokensAdmin({
  tokens,
  companies,
}: {
  tokens: TDisplayTokenSummary[];
  companies: string[];
}) {
  const t = useTranslations("admin.tokens");
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [failure, setFailure] = useState<TActionFailure | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const hydrated = useHydrated();

  return (
    <div className="flex flex-col gap-6">
      <Card title={t("create")}>
        {created ? (
          <div className="flex flex-col gap-3" data-testid="token-created">
            <FormMessage tone="success">{t("createdTitle")}</FormMessage>
            <p className="text-sm text-slate-600 dark:text-slate-300">{t("createdHint")}</p>
            <label className="text-sm font-medium" htmlFor="wall-link">
              {t("wallLink")}
            </label>
            <div className="flex gap-2">
              <input
                id="wall-link"
                readOnly
                value={created}
                className="w-full rounded border border-slate-300 px-3 py-2 font-mono text-sm"
                data-testid="wall-link"
              />
              <button
                type="button"
                className={`${BUTTON_SECONDARY} whitespace-nowrap`}
                onClick={() => {
                  void navigator.clipboard?.writeText(created).then(() => setCopied(true));
                }}
              >
                {copied ? t("copied") : t("copy")}
              </button>
            </div>
            <div>
              <button type="button" className={BUTTON} onClick={() => setCreated(null)}>
                {t("done")}
              </button>
            </div>
          </div>
        ) : (
          <form
            method="post"
            noValidate
            className="grid gap-4 md:grid-cols-3"
            data-testid="create-token-form"
            onSubmit={(event) => {
              event.preventDefault();
              const form = new FormData(event.currentTarget);
              startTransition(async () => {
                const result = await createDisplayTokenAction({
                  label: form.get("label"),
                  companyCode: form.get("companyCode"),
                  expiresInDays: form.get("expiresInDays") ?? "",
                  rotateSeconds: form.get("rotateSeconds") ?? "",
                  sound: form.get("sound") === "on",
                });
                if (!result.ok) {
                  setFailure(result);
                  return;
                }
                setFailure(null);
                setCopied(false);
                setCreated(
                  `${window.location.origin}/wall?token=${encodeURIComponent(result.data.secret)}`,
                );
                router.refresh();
              });
            }}
          >
            {failure ? (
              <div className="md:col-span-3">
                <FormMessage tone="error">{failure.message}</FormMessage>
              </div>
            ) : null}
            <FormField
              id="token-label"
              label={t("label")}
              name="label"
              maxLength={LABEL_MAX + 8}
              hint={t("labelHint")}
              error={failure?.fieldErrors?.label}
            />
            <div className="flex flex-col gap-1">
              <label
                htmlFor="token-company"
                className="text-sm font-medium text-slate-700 dark:text-slate-300"
              >
                {t("company")}
              </label>
              <select
                id="token-company"
                name="companyCode"
                className="w-full rounded border border-slate-300 bg-white px-3 py-2 text-base dark:border-slate-700 dark:bg-slate-950"
              >
                {companies.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
              {failure?.fieldErrors?.companyCode ? (
                <p className="text-sm text-red-700">{failure.fieldErrors.companyCode}</p>
              ) : null}
            </div>
            <FormField
              id="token-expires"
              label={t("expiresInDays")}
              name="expiresInDays"
              inputMode="numeric"
              hint={t("expiresHint")}
              error={failure?.fieldErrors?.expiresInDays}
            />
            <FormField
              id="token-rotate"
              label={t("rotateSeconds")}
              name="rotateSeconds"
              inputMode="numeric"
              maxLength={6}
              defaultValue={DEFAULT_DISPLAY_SETTINGS.rotateSeconds}
              hint={t("rotateHint")}
              error={failure?.fieldErrors?.rotateSeconds}
            />
            <SoundField id="token-sound" defaultChecked={DEFAULT_DISPLAY_SETTINGS.sound} />
            <div className="md:col-span-3">
              <button
                type="submit"
                className={BUTTON}
                disabled={pending || !hydrated}
                data-testid="create-token-submit"
              >
                {t("create")}
              </button>
            </div>
          </form>
        )}
      </Card>
      <Card title={t("title")}>
        {tokens.length === 0 ? (
          <p className="text-slate-500">{t("empty")}</p>
        ) : (
          <ul className="divide-y divide-slate-100 dark:divide-slate-800" data-testid="tokens-list">
            {tokens.map((token) => (
              <TokenRow key={token.id} token={token} />
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}

function TokenRow({ token }: { token: TDisplayTokenSummary }) {
  const t = useTranslations("admin.tokens");
  const format = useFormatter();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [confirming, setConfirming] = useState(false);
  const [editing, setEditing] = useState(false);
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const when = (date: Date | null, fallback: string) =>
    date ? format.dateTime(date, { dateStyle: "medium", timeStyle: "short" }) : fallback;
  return (
    <li className="flex flex-col gap-2 py-3" data-testid={`token-${token.label}`}>
      <div className="flex flex-wrap items-center gap-3">
        <span className="font-medium">{token.label}</span>
        <span className="font-mono text-sm text-slate-500">{token.companyCode}</span>
        <Badge tone={STATUS_TONE[token.status]}>
          <span data-testid="token-status">{t(token.status)}</span>
        </Badge>
        <span className="text-sm text-slate-500">
          {t("createdAt")}: {when(token.createdAt, "")} · {t("expiresAt")}:{" "}
          {when(token.expiresAt, t("never"))} · {t("lastUsedAt")}:{" "}
          {when(token.lastUsedAt, t("notUsed"))}
        </span>
        <span className="text-sm text-slate-500" data-testid="token-display">
          {token.display.rotateSeconds === 0
            ? t("noRotation")
            : t("rotation", { seconds: token.display.rotateSeconds })}{" "}
          · {token.display.sound ? t("soundOn") : t("soundOff")}
        </span>
        {token.status === "revoked" ? null : (
          <div className="ml-auto flex gap-2">
            {confirming ? (
              <>
                <span className="self-center text-sm">
                  {t("revokeConfirm", { label: token.label })}
                </span>
                <button
                  type="button"
                  className={BUTTON_DANGER}
                  disabled={pending}
                  data-testid="revoke-confirm"
                  onClick={() =>
                    startTransition(async () => {
                      const result = await revokeDisplayTokenAction({ tokenId: token.id });
                      setConfirming(false);
                      setMessage(
                        result.ok
                          ? { tone: "success", text: t("revokedDone") }
                          : { tone: "error", text: result.message },
                      );
                      router.refresh();
                    })
                  }
                >
                  {t("revoke")}
                </button>
                <button
                  type="button"
                  className={BUTTON_SECONDARY}
                  onClick={() => setConfirming(false)}
                >
                  {t("done")}
                </button>
              </>
            ) : (
              <>
                <button
                  type="button"
                  className={BUTTON_SECONDARY}
                  data-testid="edit-settings"
                  onClick={() => setEditing(!editing)}
                >
                  {t("editSettings")}
                </button>
                <button
                  type="button"
                  className={BUTTON_DANGER}
                  data-testid="revoke"
                  onClick={() => setConfirming(true)}
                >
                  {t("revoke")}
                </button>
              </>
            )}
          </div>
        )}
      </div>
      {editing && token.status !== "revoked" ? (
        <TokenSettingsForm
          token={token}
          onDone={(text) => {
            setEditing(false);
            setMessage({ tone: "success", text });
            router.refresh();
          }}
        />
      ) : null}
      {message ? <FormMessage tone={message.tone}>{message.text}</FormMessage> : null}
    </li>
  );
}

/** An existing token's wall settings: rotation and sound. */
function TokenSettingsForm({
  token,
  onDone,
}: {
  token: TDisplayTokenSummary;
  onDone: (message: string) => void;
}) {
  const t = useTranslations("admin.tokens");
  const [pending, startTransition] = useTransition();
  const [failure, setFailure] = useState<TActionFailure | null>(null);
  const id = `token-${token.id}`;
  return (
    <form
      method="post"
      noValidate
      className="grid gap-4 md:grid-cols-3"
      data-testid="token-settings-form"
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        startTransition(async () => {
          const result = await updateDisplayTokenAction({
            tokenId: token.id,
            rotateSeconds: form.get("rotateSeconds") ?? "",
            sound: form.get("sound") === "on",
          });
          if (result.ok) onDone(t("settingsSaved"));
          else setFailure(result);
        });
      }}
    >
      {failure ? (
        <div className="md:col-span-3">
          <FormMessage tone="error">{failure.message}</FormMessage>
        </div>
      ) : null}
      <FormField
        id={`${id}-rotate`}
        label={t("rotateSeconds")}
        name="rotateSeconds"
        inputMode="numeric"
        maxLength={6}
        defaultValue={token.display.rotateSeconds}
        hint={t("rotateHint")}
        error={failure?.fieldErrors?.rotateSeconds}
      />
      <SoundField id={`${id}-sound`} defaultChecked={token.display.sound} />
      <div className="self-end">
        <button
          type="submit"
          className={BUTTON}
          disabled={pending}
          data-testid="token-settings-save"
        >
          {t("saveSettings")}
        </button>
      </div>
    </form>
  );
}

/** The "sound alerts" checkbox of the create and edit forms (submitted as "on" when checked). */
function SoundField({ id, defaultChecked }: { id: string; defaultChecked: boolean }) {
  const t = useTranslations("admin.tokens");
  return (
    <div className="flex items-start gap-3 self-center">
      <input
        id={id}
        name="sound"
        type="checkbox"
        className="mt-1 h-4 w-4"
        defaultChecked={defaultChecked}
        aria-describedby={`${id}-hint`}
      />
      <div>
        <label htmlFor={id} className="text-sm font-medium">
          {t("sound")}
        </label>
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {t("soundHint")}
        </p>
      </div>
    </div>
  );
}
