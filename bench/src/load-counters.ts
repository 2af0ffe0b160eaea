import pg from 'pg';
import { sleep } from './clock.js';

/** What NATS and PostgreSQL did over a span, in counts the servers keep (not CPU). */
export interface ServerCounts {
  /** Transactions committed in the bench's own databases. */
  pgCommits: number;
  /** Messages and bytes every NATS node received and sent (clients, routes and JetStream replication), summed; null without monitoring URLs. */
  nats: { inMsgs: number; outMsgs: number; inBytes: number; outBytes: number } | null;
}

/**
 * A backend reports its commits to pg_stat_database at most once a second while busy, and up to 10 s
 * later once idle (PostgreSQL 15): the end of a span is read after that long.
 */
const PG_STATS_SETTLE_MS = 11_000;

/** The counters now: commits over the databases whose names start with `dbPrefix`, and each NATS node's /varz. */
export async function readCounts(databaseUrl: string, dbPrefix: string, natsMonitors: string[]): Promise<ServerCounts> {
  const client = new pg.Client({ connectionString: databaseUrl, database: 'postgres' });
  await client.connect();
  let pgCommits = 0;
  try {
    const { rows } = await client.query<{ n: string | null }>('select sum(xact_commit)::text as n from pg_stat_database where starts_with(datname, $1)', [dbPrefix]);
    pgCommits = Number(rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
  if (natsMonitors.length === 0) return { pgCommits, nats: null };
  const varz = await Promise.all(natsMonitors.map(async (m) => (await (await fetch(`${m}/varz`)).json()) as Record<string, number>));
  const sum = (k: string) => varz.reduce((a, v) => a + (v[k] ?? 0), 0);
  return { pgCommits, nats: { inMsgs: sum('in_msgs'), outMsgs: sum('out_msgs'), inBytes: sum('in_bytes'), outBytes: sum('out_bytes') } };
}

/** Per unit of work (a message sent): what the servers did between `before` and now, read once PostgreSQL's statistics have settled. */
export async function countsPer(units: number, before: ServerCounts, read: () => Promise<ServerCounts>) {
  await sleep(PG_STATS_SETTLE_MS);
  const after = await read();
  const per = (a: number, b: number) => (units > 0 ? Math.round(((a - b) / units) * 100) / 100 : 0);
  return {
    units,
    pgCommits: per(after.pgCommits, before.pgCommits),
    nats:
      after.nats && before.nats
        ? {
            msgsIn: per(after.nats.inMsgs, before.nats.inMsgs),
            msgsOut: per(after.nats.outMsgs, before.nats.outMsgs),
            bytesIn: Math.round(per(after.nats.inBytes, before.nats.inBytes)),
            bytesOut: Math.round(per(after.nats.outBytes, before.nats.outBytes)),
          }
        : null,
  };
}

export type CountsPerUnit = Awaited<ReturnType<typeof countsPer>>;
