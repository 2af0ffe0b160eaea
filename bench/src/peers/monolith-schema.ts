import pg from 'pg';

/**
 * The monolith's database and tables, created at its start: users, chats with their last seq,
 * participants, and messages numbered per chat (unique per chat, as the seq is what a reconnecting
 * client resumes from). A logged database with PostgreSQL's defaults: every commit is durable.
 */
export async function createMonolithSchema(serverUrl: string, database: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl, database: 'postgres' });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [database]);
    if (!rowCount) await admin.query(`create database ${pg.escapeIdentifier(database)}`);
  } finally {
    await admin.end();
  }
  const db = new pg.Client({ connectionString: serverUrl, database });
  await db.connect();
  try {
    await db.query(`
      create table if not exists users (id uuid primary key, created_at timestamptz not null default now());
      create table if not exists chats (id uuid primary key, last_seq bigint not null default 0);
      create table if not exists participants (
        chat_id uuid not null references chats (id),
        user_id uuid not null references users (id),
        primary key (chat_id, user_id)
      );
      create table if not exists messages (
        id uuid primary key default gen_random_uuid(),
        chat_id uuid not null references chats (id),
        seq bigint not null,
        user_id uuid not null references users (id),
        type text not null,
        content text not null,
        created_at timestamptz not null default now(),
        unique (chat_id, seq)
      );
    `);
  } finally {
    await db.end();
  }
}

/** Drops the monolith's database once its process has stopped. */
export async function dropMonolithDatabase(serverUrl: string, database: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl, database: 'postgres' });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${pg.escapeIdentifier(database)} with (force)`);
  } finally {
    await admin.end();
  }
}
