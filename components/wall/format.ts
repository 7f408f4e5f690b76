"use client";

import { useTranslations } from "next-intl";
import { useCallback } from "react";

/** A threshold as people say it: `45 s`, `10 min`, `1:30` past a minute that is not whole. */
export function useLimitFormat(): (seconds: number) => string {
  const t = useTranslations("wall.duration");
  return useCallback(
    (seconds: number) => {
      if (seconds < 60) return t("seconds", { count: seconds });
      if (seconds % 60 === 0) return t("minutes", { count: seconds / 60 });
      return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
    },
    [t],
  );
}
