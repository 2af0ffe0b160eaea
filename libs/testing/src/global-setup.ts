import type { TestProject } from 'vitest/node';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connect } from 'nats';
import { clusterTopologyWanted } from './cluster-stack.js';
import { findTestInfra } from './infra.js';
import { startOwnNatsCluster, type OwnNatsCluster } from './own-nats-cluster.js';

/**
 * Finds the servers once per run, hands their URLs to the test files, and drops test databases after.
 * In the cluster topology (TEST_TOPOLOGY=cluster) the files share a NATS cluster of three that this
 * run starts, each file in its own namespace as usual.
 */
export default async function setup(project: TestProject) {
  const infra = await findTestInfra();
  let cluster: OwnNatsCluster | undefined;
  if (clusterTopologyWanted()) {
    cluster = await startOwnNatsCluster(3);
    console.log(`[tests] cluster topology: NATS cluster of 3 at ${cluster.url}`);
  }
  const natsUrl = cluster?.url ?? infra.natsUrl;
  project.provide('natsUrl', natsUrl);
  project.provide('databaseUrl', infra.databaseUrl);
  // Names of this run's databases start with it, so concurrent runs never drop each other's.
  const runId = `t${randomBytes(3).toString('hex')}`;
  project.provide('runId', runId);
  return async () => {
    await dropTestDatabases(infra.databaseUrl, runId).catch(() => undefined);
    await deleteTestStreams(natsUrl, runId).catch(() => undefined);
    await cluster?.stop();
    await infra.stop();
  };
}

async function dropTestDatabases(serverUrl: string, runId: string) {
  const url = new URL(serverUrl);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>('select datname from pg_database where starts_with(datname, $1)', [`${runId}_`]);
    for (const { datname } of rows) {
      await client.query(`drop database if exists ${pg.escapeIdentifier(datname)} with (force)`);
    }
  } finally {
    await client.end();
  }
}

async function deleteTestStreams(natsUrl: string, runId: string) {
  const nc = await connect({ servers: natsUrl.split(',') });
  try {
    const jsm = await nc.jetstreamManager();
    for (const stream of await jsm.streams.list().next()) {
      if (stream.config.name.startsWith(`${runId}_`)) await jsm.streams.delete(stream.config.name);
    }
  } finally {
    await nc.close();
  }
}
