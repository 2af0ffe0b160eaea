import pg from 'pg';
import { withDatabase } from '@chatroulette/db';
import type { ChatFollower } from '@chatroulette/testing';

/** A seq some socket never got, as the messages database's event log holds it. */
interface MissingSeq {
  seq: number;
  /** The followers (by username) that lack it. */
  missingAt: string[];
  type: string | null;
  /** When its transaction started (created_at is now()) and when it was marked published; null when not in the log. */
  createdAt: string | null;
  publishedAt: string | null;
}

/** Seqs 1..last that `f` never got. */
export function missingSeqs(f: ChatFollower, last: number): number[] {
  const got = new Set(f.seqs);
  const missing: number[] = [];
  for (let s = 1; s <= last; s++) if (!got.has(s)) missing.push(s);
  return missing;
}

/**
 * What a failed run needs to find its cause: each seq a socket lacks, with its row of the messages
 * database's chat_events (type, created and published times), as lines to print.
 */
export async function auditMissing(databaseUrl: string, database: string, chatId: string, followers: ChatFollower[], last: number): Promise<string[]> {
  const byFollower = followers.map((f) => ({ who: f.user.username, missing: missingSeqs(f, last) }));
  const all = [...new Set(byFollower.flatMap((f) => f.missing))].sort((x, y) => x - y);
  if (all.length === 0) return [];
  const client = new pg.Client({ connectionString: withDatabase(databaseUrl, database) });
  await client.connect();
  try {
    const { rows } = await client.query<{ seq: string; type: string; created_at: Date; published_at: Date | null }>(
      'select seq, type, created_at, published_at from chat_events where chat_id = $1 and seq = any($2::bigint[]) order by seq',
      [chatId, all],
    );
    const bySeq = new Map(rows.map((r) => [Number(r.seq), r]));
    const audit: MissingSeq[] = all.map((seq) => {
      const r = bySeq.get(seq);
      return {
        seq,
        missingAt: byFollower.filter((f) => f.missing.includes(seq)).map((f) => f.who),
        type: r?.type ?? null,
        createdAt: r ? r.created_at.toISOString() : null,
        publishedAt: r?.published_at ? r.published_at.toISOString() : null,
      };
    });
    return audit.map((m) => `missing seq=${m.seq} at=${m.missingAt.join('/')} type=${m.type ?? 'not-in-log'} created=${m.createdAt} published=${m.publishedAt}`);
  } finally {
    await client.end();
  }
}
