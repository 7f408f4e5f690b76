"use client";

import { useTranslations } from "next-intl";
import type { TLinkState } from "@/lib/floor/types";
import { formatClock } from "@/lib/format/clock";

export type TBannerState =
  | { kind: "ok" }
  | { kind: "socket-down" }
  | { kind: "link"; link: TLinkState }
  | { kind: "resyncing" }
  | { kind: "stale"; count: number; seconds: number };

/** Says plainly when what is on screen is not live, and why. */
export function LinkBanner({ state }: { state: TBannerState }) {
  const t = useTranslations("floor.banner");
  if (state.kind === "ok") return null;
  let text: string;
  let severe = true;
  switch (state.kind) {
    case "socket-down":
      text = t("socketDown");
      break;
    case "link":
      text =
        state.link.state === "down"
          ? t("linkDown", {
              time: formatClock(state.link.since),
              reason: state.link.reason ? t("reason", { reason: state.link.reason }) : "",
            })
          : t("linkConnecting");
      break;
    case "resyncing":
      text = t("resyncing");
      severe = false;
      break;
    case "stale":
      text = t("stale", { count: state.count, seconds: state.seconds });
      severe = false;
      break;
  }
  return (
    <div
      role="alert"
      data-testid="link-banner"
      data-kind={state.kind}
      className={`rounded-md border px-4 py-2 text-base font-medium ${
        severe
          ? "border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
          : "border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
      }`}
    >
      <span aria-hidden="true">⚠ </span>
      {text}
    </div>
  );
}
