import { getFormatter, getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";

/** The latest run of the audit chain's verification (an AuditVerification row). */
export interface TChainVerification {
  at: Date;
  ok: boolean;
  checked: number;
  unchained: number;
  firstBadId: number | null;
  message: string | null;
  durationMs: number;
}

/**
 * When the audit chain was last verified and with what result. The chain spans every company,
 * so its counts and the event it breaks at are shown only to an admin of all companies.
 */
export async function AuditChainStatus({
  verification,
  details,
  now,
}: {
  verification: TChainVerification | null;
  details: boolean;
  /** When the page was rendered, for "2 hours ago". */
  now: Date;
}) {
  const t = await getTranslations("admin.chain");
  const format = await getFormatter();
  return (
    <Card title={t("title")}>
      <div className="flex flex-col gap-2 text-sm" data-testid="audit-chain-status">
        <p className="text-slate-500">{t("intro")}</p>
        {verification === null ? (
          <p data-testid="audit-chain-never">
            <Badge tone="warn">{t("never")}</Badge>
          </p>
        ) : (
          <>
            <p className="flex flex-wrap items-center gap-2">
              <Badge tone={verification.ok ? "good" : "bad"}>
                <span data-testid="audit-chain-result" data-ok={verification.ok}>
                  {verification.ok ? t("intact") : t("broken")}
                </span>
              </Badge>
              <span>
                {t("verifiedAt", {
                  time: format.dateTime(verification.at, {
                    dateStyle: "medium",
                    timeStyle: "short",
                  }),
                  ago: format.relativeTime(verification.at, now),
                })}
              </span>
            </p>
            {details ? (
              <>
                <p>
                  {t("checked", {
                    checked: verification.checked,
                    unchained: verification.unchained,
                    seconds: Math.round(verification.durationMs / 100) / 10,
                  })}
                </p>
                {verification.ok ? null : (
                  <p className="text-red-700 dark:text-red-300">
                    {verification.firstBadId === null
                      ? t("tailMissing")
                      : t("firstBad", { id: verification.firstBadId })}
                  </p>
                )}
                {verification.ok || !verification.message ? null : (
                  <p className="font-mono text-xs text-slate-500">
                    {t("detail", { message: verification.message })}
                  </p>
                )}
              </>
            ) : (
              <p className="text-slate-500">{t("companyAdmin")}</p>
            )}
          </>
        )}
      </div>
    </Card>
  );
}
