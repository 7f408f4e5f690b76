"use client";

import { useTranslations } from "next-intl";
import { useId, useRef, useState } from "react";
import { linkSeatAction } from "@/actions/link-seat";
import type { TActionFailure } from "@/lib/errors";
import { BUTTON, BUTTON_SECONDARY, FormMessage } from "@/components/auth/form-field";
import { Modal } from "./modal";
import { seatStore } from "./seat-store";

/**
 * Asks for the CTI agent password and links the seat. The password stays in its field (never in
 * state or storage) and leaves the browser only with the request; when the agent is checked in
 * elsewhere the supervisor may link anyway, which logs that device out.
 */
export function LinkSeatDialog({ agentId, onClose }: { agentId: string; onClose: () => void }) {
  const t = useTranslations("interventions.seat");
  const ids = { title: useId(), intro: useId(), password: useId() };
  const formRef = useRef<HTMLFormElement>(null);
  const [failure, setFailure] = useState<TActionFailure | undefined>();
  const [network, setNetwork] = useState(false);
  const [pending, setPending] = useState(false);

  const send = async (force: boolean) => {
    const form = formRef.current;
    if (!form || pending) return;
    const password = new FormData(form).get("password");
    if (typeof password !== "string" || password === "") return;
    setPending(true);
    setNetwork(false);
    try {
      const result = await linkSeatAction({ password, force });
      if (result.ok) {
        seatStore.set(result.data);
        form.reset();
        onClose();
        return;
      }
      setFailure(result);
    } catch {
      setNetwork(true);
    } finally {
      setPending(false);
    }
  };

  const inUse = failure?.code === "seat_in_use";
  return (
    <Modal
      labelledBy={ids.title}
      describedBy={ids.intro}
      onClose={onClose}
      testId="link-seat-dialog"
    >
      <form
        ref={formRef}
        noValidate
        autoComplete="off"
        className="flex flex-col gap-4 p-5"
        onSubmit={(event) => {
          event.preventDefault();
          void send(false);
        }}
      >
        <h2 id={ids.title} className="text-lg font-semibold">
          {t("linkDialog.title")}
        </h2>
        <p id={ids.intro} className="text-sm text-slate-600 dark:text-slate-300">
          {t("linkDialog.intro", { agentId })}
        </p>
        <div className="flex flex-col gap-1">
          <label htmlFor={ids.password} className="text-sm font-medium">
            {t("linkDialog.password")}
          </label>
          <input
            id={ids.password}
            name="password"
            type="password"
            autoComplete="off"
            autoFocus
            required
            maxLength={128}
            data-testid="seat-password"
            aria-invalid={failure?.code === "seat_wrong_password" ? true : undefined}
            onChange={() => setFailure(undefined)}
            className="w-full rounded border border-slate-300 bg-white px-3 py-2 text-base aria-[invalid=true]:border-red-500 dark:border-slate-700 dark:bg-slate-950"
          />
        </div>
        {failure ? (
          <div data-testid="link-seat-error" data-code={failure.code}>
            <FormMessage tone="error">
              {failure.fieldErrors?.password ?? failure.message}
            </FormMessage>
          </div>
        ) : null}
        {network ? <FormMessage tone="error">{t("networkError")}</FormMessage> : null}
        <div className="flex justify-end gap-2">
          <button type="button" className={BUTTON_SECONDARY} onClick={onClose}>
            {t("linkDialog.cancel")}
          </button>
          {inUse ? (
            <button
              type="button"
              className={BUTTON}
              disabled={pending}
              data-testid="seat-link-force"
              onClick={() => void send(true)}
            >
              {t("linkDialog.force")}
            </button>
          ) : (
            <button
              type="submit"
              className={BUTTON}
              disabled={pending}
              data-testid="seat-link-submit"
            >
              {t("linkDialog.submit")}
            </button>
          )}
        </div>
      </form>
    </Modal>
  );
}
