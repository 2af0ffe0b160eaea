/**
 * The cluster topology on one machine: what `npm run start:cluster` runs (on these ports) and what
 * the tests' cluster topology (libs/testing) runs on free ports. Three nats-server nodes routed into
 * one JetStream cluster, every stream on all three; two of each service; two gateways.
 */
export const clusterPlan = {
  nats: {
    clientPorts: [4231, 4232, 4233],
    routePorts: [6231, 6232, 6233],
    clusterName: 'chatroulette',
  },
  /** NATS_STREAM_REPLICAS of every service: a copy of each stream and bucket on each node. */
  streamReplicas: 3,
  gateways: { ports: [8080, 8081], metricsPorts: [9464, 9465] },
  services: {
    auth: [3001, 3011],
    messages: [3002, 3012],
    roulette: [3003, 3013],
    media: [3004, 3014],
  },
} as const;

export type ClusterService = keyof typeof clusterPlan.services;

