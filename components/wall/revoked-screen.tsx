"use client";

import { useTranslations } from "next-intl";

/** What a wall shows once its display token is revoked or expired: no floor, nothing live. */
export function RevokedScreen() {
  const t = useTranslations("wall.revoked");
  return (
    <div
      role="alert"
      data-testid="wall-revoked"
      className="flex h-full flex-col items-center justify-center gap-[3vh] px-[8vw] text-center"
    >
      <p
        aria-hidden="true"
        className="text-[length:clamp(3rem,16vh,24rem)] leading-none text-red-500"
      >
        ⊘
      </p>
      <h1 className="text-[length:clamp(1.6rem,6vh,9rem)] leading-tight font-bold">{t("title")}</h1>
      <p className="max-w-[70vw] text-[length:clamp(1rem,3.4vh,5rem)] text-slate-300">
        {t("body")}
      </p>
    </div>
  );
}
