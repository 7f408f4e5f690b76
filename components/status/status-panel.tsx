"use client";

import { useQuery } from "@tanstack/react-query";
import { useFormatter, useNow, useTranslations } from "next-intl";
import { ZHealth, type TClusterHealth, type THealth } from "@/lib/health";
import { Badge, type TBadgeTone } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";

async function fetchHealth(): Promise<THealth> {
  const response = await fetch("/api/health", { cache: "no-store" });
  if (!response.ok) throw new Error(`health ${response.status}`);
  return ZHealth.parse(await response.json());
}

const LINK_TONE: Record<string, TBadgeTone> = {
  up: "good",
  connecting: "warn",
  degraded: "warn",
  down: "bad",
};

export function StatusPanel() {
  const t = useTranslations("common.status");
  const format = useFormatter();
  const now = useNow({ updateInterval: 1000 });
  const { data, error } = useQuery({
    queryKey: ["health"],
    queryFn: fetchHealth,
    refetchInterval: 2000,
  });

  if (error && !data) {
    return (
      <Card title={t("title")}>
        <Badge tone="bad">{t("linkDown")}</Badge>
      </Card>
    );
  }
  if (!data) return <Card.Skeleton />;

  const linkLabel = (state: string) =>
    state === "up" ? t("linkUp") : state === "connecting" ? t("linkConnecting") : t("linkDown");

  return (
    <div className="grid gap-4" data-testid="status-panel">
      <Card title={t("title")}>
        <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-base">
          <dt className="text-slate-500">{t("process")}</dt>
          <dd>{t("uptime", { seconds: data.uptimeSeconds })}</dd>
          <dt className="text-slate-500">{t("mode")}</dt>
          <dd>{data.mode === "embedded-simulator" ? t("modeEmbedded") : t("modeExternal")}</dd>
          {data.cti.url ? (
            <>
              <dt className="text-slate-500">{t("ctiUrl")}</dt>
              <dd className="font-mono text-sm">{data.cti.url}</dd>
            </>
          ) : null}
          <dt className="text-slate-500">{t("ctiLink")}</dt>
          <dd data-testid="cti-state">
            <Badge tone={LINK_TONE[data.cti.state] ?? "neutral"}>{linkLabel(data.cti.state)}</Badge>{" "}
            <Badge tone={data.cti.floorMoving ? "good" : "neutral"}>
              {data.cti.floorMoving ? t("floorMoving") : t("floorQuiet")}
            </Badge>
          </dd>
          {data.database ? (
            <>
              <dt className="text-slate-500">{t("database")}</dt>
              <dd data-testid="database-state">
                <Badge tone={data.database.state === "up" ? "good" : "bad"}>
                  {data.database.state === "up" ? t("databaseUp") : t("databaseDown")}
                </Badge>
                {data.database.state === "up" && data.database.latencyMs !== undefined ? (
                  <span className="ml-2 text-sm text-slate-500">
                    {t("databaseLatency", { ms: data.database.latencyMs })}
                  </span>
                ) : null}
                {data.database.state === "down" && data.database.reason ? (
                  <span className="ml-2 text-sm text-slate-500">
                    {t("reason", { reason: data.database.reason })}
                  </span>
                ) : null}
              </dd>
            </>
          ) : null}
        </dl>
      </Card>
      <Card>
        <table className="w-full text-left text-base">
          <thead className="text-sm text-slate-500">
            <tr>
              <th className="py-1">{t("company")}</th>
              <th>{t("ctiLink")}</th>
              <th className="text-right">{t("agentChanges")}</th>
              <th className="text-right">{t("pushes")}</th>
              <th className="text-right">{t("lastChange")}</th>
              {data.cluster ? <th className="text-right">{t("leader")}</th> : null}
            </tr>
          </thead>
          <tbody>
            {data.cti.companies.map((company) => (
              <tr
                key={company.companyCode}
                className="border-t border-slate-100 dark:border-slate-800"
                data-testid={`company-${company.companyCode}`}
              >
                <td className="py-2 font-mono">{company.companyCode}</td>
                <td>
                  <Badge tone={LINK_TONE[company.state] ?? "neutral"}>
                    {linkLabel(company.state)}
                  </Badge>
                  {company.state !== "up" && company.reason ? (
                    <span className="ml-2 text-sm text-slate-500">
                      {t("reason", { reason: company.reason })}
                    </span>
                  ) : null}
                </td>
                <td className="text-right tabular-nums">{format.number(company.agentChanges)}</td>
                <td className="text-right tabular-nums">
                  {format.number(company.agentChangePushes)}
                </td>
                <td className="text-right">
                  {company.lastAgentChangeAt
                    ? format.relativeTime(company.lastAgentChangeAt, now)
                    : t("never")}
                </td>
                {data.cluster ? (
                  <td className="text-right font-mono text-sm">{company.leader ?? "–"}</td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      {data.cluster ? <ClusterCard cluster={data.cluster} /> : null}
      <p className="text-sm text-slate-500">{t("refresh")}</p>
    </div>
  );
}

/** Several nodes: Redis as this node sees it, and every node with the companies it leads. */
function ClusterCard({ cluster }: { cluster: TClusterHealth }) {
  const t = useTranslations("common.status");
  return (
    <Card title={t("nodes")}>
      <p className="mb-2 text-base" data-testid="cluster-redis">
        {t("redis")}{" "}
        <Badge tone={cluster.redis.reachable ? "good" : "bad"}>
          {cluster.redis.reachable ? t("redisUp") : t("redisDown")}
        </Badge>
      </p>
      <table className="w-full text-left text-base">
        <thead className="text-sm text-slate-500">
          <tr>
            <th className="py-1">{t("node")}</th>
            <th>{t("version")}</th>
            <th>{t("leads")}</th>
            <th className="text-right">{t("lastSeen")}</th>
          </tr>
        </thead>
        <tbody>
          {cluster.nodes.map((node) => (
            <tr
              key={node.nodeId}
              className="border-t border-slate-100 dark:border-slate-800"
              data-testid={`node-${node.nodeId}`}
            >
              <td className="py-2 font-mono">
                {node.nodeId}
                {node.self ? (
                  <span className="ml-2 text-sm text-slate-500">({t("thisNode")})</span>
                ) : null}
              </td>
              <td className="font-mono text-sm">{node.version}</td>
              <td className="text-sm">
                {node.leases.length === 0
                  ? t("noLeases")
                  : node.leases.map((lease) => (
                      <div key={lease.companyCode} className="tabular-nums">
                        {t("leaseAge", {
                          company: lease.companyCode,
                          held: Math.round(lease.heldMs / 1000),
                          renewed: lease.renewedMs,
                        })}
                      </div>
                    ))}
              </td>
              <td className="text-right tabular-nums">
                {t("lastSeenAgo", { ms: node.lastSeenMs })}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="mt-2 text-sm text-slate-500">{t("leaseMs", { ms: cluster.leaseMs })}</p>
    </Card>
  );
}
