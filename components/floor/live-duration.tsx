"use client";

import { formatDuration } from "@/lib/format/duration";
import { useNow } from "@/components/ui/use-now";

/** Time since `since` (server clock), ticking once a second. `clockOffset` = server - local. */
export function LiveDuration({ since, clockOffset }: { since: number; clockOffset: number }) {
  const now = useNow();
  return <span className="tabular-nums">{formatDuration(now + clockOffset - since)}</span>;
}
