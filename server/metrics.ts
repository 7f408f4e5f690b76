import "server-only";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { processGlobals } from "./globals";

/** What the live floor's gauges read at scrape time; installed by createApp. */
export interface TMetricsSource {
  linkUp(): { companyCode: string; up: boolean }[];
  staleAgents(): { companyCode: string; stale: number; agents: number }[];
  freshnessSeconds(): { companyCode: string; p50: number; p99: number; max: number }[];
  sockets(): number;
  /** Several nodes only: Redis as this node sees it, live nodes, and which companies it leads. */
  cluster?(): {
    redisUp: boolean;
    nodes: number;
    companies: { companyCode: string; leads: boolean; heldSeconds: number }[];
  };
}

function create() {
  const register = new Registry();
  collectDefaultMetrics({ register, prefix: "floorwatch_" });
  let source: TMetricsSource | undefined;

  let clusterGauges = false;
  const metrics = {
    register,
    setSource(next: TMetricsSource | undefined) {
      source = next;
    },
    /** Several nodes: the cluster's gauges, registered once (one node has none of them). */
    enableClusterGauges() {
      if (clusterGauges) return;
      clusterGauges = true;
      new Gauge({
        name: "floorwatch_cluster_redis_up",
        help: "Several nodes: 1 while this node reaches Redis.",
        registers: [register],
        collect() {
          this.reset();
          const cluster = source?.cluster?.();
          if (cluster) this.set(cluster.redisUp ? 1 : 0);
        },
      });
      new Gauge({
        name: "floorwatch_cluster_nodes",
        help: "Several nodes: live nodes as this node last read them from Redis.",
        registers: [register],
        collect() {
          this.reset();
          const cluster = source?.cluster?.();
          if (cluster) this.set(cluster.nodes);
        },
      });
      new Gauge({
        name: "floorwatch_cluster_leader",
        help: "Several nodes: 1 for each company this node leads (runs its monitor channel), else 0.",
        labelNames: ["company"] as const,
        registers: [register],
        collect() {
          this.reset();
          for (const { companyCode, leads } of source?.cluster?.().companies ?? [])
            this.set({ company: companyCode }, leads ? 1 : 0);
        },
      });
      new Gauge({
        name: "floorwatch_cluster_lease_held_seconds",
        help: "Several nodes: how long this node has held the lease of each company it leads.",
        labelNames: ["company"] as const,
        registers: [register],
        collect() {
          this.reset();
          for (const { companyCode, leads, heldSeconds } of source?.cluster?.().companies ?? [])
            if (leads) this.set({ company: companyCode }, heldSeconds);
        },
      });
    },
    getStatus: new Counter({
      name: "floorwatch_get_status_requests_total",
      help: "get_status requests sent to the CTI, by result (ok, error code, timeout, link_down, invalid).",
      labelNames: ["company", "result"] as const,
      registers: [register],
    }),
    pushes: new Counter({
      name: "floorwatch_cti_pushes_total",
      help: "Pushes received on monitor channels, by kind (agent_change, foreign, invalid, other).",
      labelNames: ["company", "kind"] as const,
      registers: [register],
    }),
    malformedFrames: new Counter({
      name: "floorwatch_cti_malformed_frames_total",
      help: "CTI frames dropped as malformed (not JSON, not an object, too large, no msg_type).",
      labelNames: ["company", "reason"] as const,
      registers: [register],
    }),
    observations: new Counter({
      name: "floorwatch_floor_observations_total",
      help: "Observations applied to the floor store, by source and outcome (changed, confirmed, outdated, unknown).",
      labelNames: ["company", "via", "result"] as const,
      registers: [register],
    }),
    confirmInterval: new Histogram({
      name: "floorwatch_agent_confirm_interval_seconds",
      help: "Time between two confirmations of the same agent.",
      labelNames: ["company"] as const,
      buckets: [0.25, 0.5, 1, 1.5, 2, 2.25, 2.5, 3, 4, 6, 10, 30],
      registers: [register],
    }),
    deltas: new Counter({
      name: "floorwatch_floor_delta_batches_total",
      help: "Delta batches sent to company rooms.",
      labelNames: ["company"] as const,
      registers: [register],
    }),
    deltaChanges: new Counter({
      name: "floorwatch_floor_changes_total",
      help: "Numbered floor changes (seq increments) per company.",
      labelNames: ["company"] as const,
      registers: [register],
    }),
    rosterRefreshes: new Counter({
      name: "floorwatch_roster_refreshes_total",
      help: "Roster fetches, by result.",
      labelNames: ["company", "result"] as const,
      registers: [register],
    }),
    clusterResyncs: new Counter({
      name: "floorwatch_cluster_replica_resyncs_total",
      help: "Replicas that fetched the leader's stored floor again, by why (term, epoch, gap, subscription).",
      labelNames: ["company", "reason"] as const,
      registers: [register],
    }),
    clusterLeaderships: new Counter({
      name: "floorwatch_cluster_leaderships_total",
      help: "Times this node took the lease of a company (its first time, or a failover).",
      labelNames: ["company"] as const,
      registers: [register],
    }),
    clusterDropped: new Counter({
      name: "floorwatch_cluster_messages_dropped_total",
      help: "Messages and stored floors read from Redis and dropped (too_large, invalid).",
      labelNames: ["reason"] as const,
      registers: [register],
    }),
    clusterPublishFailures: new Counter({
      name: "floorwatch_cluster_publish_failures_total",
      help: "Messages a leader could not publish to Redis, by kind.",
      labelNames: ["company", "kind"] as const,
      registers: [register],
    }),
    snapshots: new Counter({
      name: "floorwatch_floor_snapshots_total",
      help: "Floor snapshots served.",
      labelNames: ["company"] as const,
      registers: [register],
    }),
  };

  new Gauge({
    name: "floorwatch_cti_link_up",
    help: "1 when the company's monitor channel is up.",
    labelNames: ["company"] as const,
    registers: [register],
    collect() {
      this.reset();
      for (const { companyCode, up } of source?.linkUp() ?? [])
        this.set({ company: companyCode }, up ? 1 : 0);
    },
  });
  new Gauge({
    name: "floorwatch_floor_agents",
    help: "Agents on the floor, and how many of them are stale.",
    labelNames: ["company", "freshness"] as const,
    registers: [register],
    collect() {
      this.reset();
      for (const { companyCode, stale, agents } of source?.staleAgents() ?? []) {
        this.set({ company: companyCode, freshness: "stale" }, stale);
        this.set({ company: companyCode, freshness: "fresh" }, agents - stale);
      }
    },
  });
  new Gauge({
    name: "floorwatch_agent_freshness_seconds",
    help: "Age of agents' last confirmation at scrape time (p50, p99, max).",
    labelNames: ["company", "quantile"] as const,
    registers: [register],
    collect() {
      this.reset();
      for (const { companyCode, p50, p99, max } of source?.freshnessSeconds() ?? []) {
        this.set({ company: companyCode, quantile: "0.5" }, p50);
        this.set({ company: companyCode, quantile: "0.99" }, p99);
        this.set({ company: companyCode, quantile: "1" }, max);
      }
    },
  });
  new Gauge({
    name: "floorwatch_realtime_sockets",
    help: "Socket.IO clients connected.",
    registers: [register],
    collect() {
      this.set(source?.sockets() ?? 0);
    },
  });
  return metrics;
}

export type TMetrics = ReturnType<typeof create>;

/** One metrics registry per process (shared with the Next bundles through the process globals). */
export function metrics(): TMetrics {
  const globals = processGlobals();
  globals.metrics ??= create();
  return globals.metrics;
}

/** The value at quantile q (0..1) of an unsorted list; 0 for an empty one. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] ?? 0;
}
