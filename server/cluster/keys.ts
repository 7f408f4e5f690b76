import "server-only";

/** Every Redis key and channel of the cluster, under the deployment's REDIS_PREFIX. */
export function clusterKeys(prefix: string) {
  return {
    /** Who leads a company: `<node id>#<instance>`, with an expiry (LEASE_MS). */
    lease: (companyCode: string) => `${prefix}lease:${companyCode}`,
    /** The company's leadership count: +1 per new leader, the fencing number of its messages. */
    term: (companyCode: string) => `${prefix}lease:${companyCode}:term`,
    /** The floor the company's leader stored for replicas to start from. */
    floor: (companyCode: string) => `${prefix}floor:${companyCode}`,
    /** The company's pub/sub channel: deltas, heartbeats, stored/released notices, requests. */
    bus: (companyCode: string) => `${prefix}floor:${companyCode}:bus`,
    /** A node's record, renewed with its heartbeat; gone when the node is. */
    node: (nodeId: string) => `${prefix}node:${nodeId}`,
    /** Every node that registered and has not been cleaned up after. */
    nodes: `${prefix}nodes`,
    /** Held by the survivor that ends a lost node's interventions. */
    reap: (nodeId: string) => `${prefix}reap:${nodeId}`,
  };
}

export type TClusterKeys = ReturnType<typeof clusterKeys>;
