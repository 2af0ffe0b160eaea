import { sql, type Kysely } from 'kysely';

// Frozen in time: never import app code here.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table chats (
    id uuid primary key default gen_random_uuid(),
    type text not null check (type in ('private', 'roulette', 'saved')),
    status text not null default 'open' check (status in ('open', 'closed')),
    created_by uuid,
    created_at timestamptz not null default now(),
    last_activity_at timestamptz not null default now(),
    last_seq bigint not null default 0,
    roulette_key text unique
  )`.execute(db);

  await sql`create table chat_participants (
    chat_id uuid not null references chats (id) on delete cascade,
    user_id uuid not null,
    username text not null,
    joined_at timestamptz not null default now(),
    primary key (chat_id, user_id)
  )`.execute(db);
  await sql`create index chat_participants_user_idx on chat_participants (user_id)`.execute(db);

  await sql`create table messages (
    id uuid primary key default gen_random_uuid(),
    chat_id uuid not null references chats (id) on delete cascade,
    seq bigint not null,
    user_id uuid not null,
    type text not null,
    content text not null default '',
    media_url text not null default '',
    reply_to_id uuid references messages (id),
    status text not null default 'sent',
    is_edited boolean not null default false,
    edited_at timestamptz,
    delivered_at timestamptz,
    deleted_at timestamptz,
    created_at timestamptz not null default now(),
    unique (chat_id, seq)
  )`.execute(db);

  await sql`create table message_reads (
    message_id uuid not null references messages (id) on delete cascade,
    user_id uuid not null,
    read_at timestamptz not null default now(),
    primary key (message_id, user_id)
  )`.execute(db);

  await sql`create table message_likes (
    message_id uuid not null references messages (id) on delete cascade,
    user_id uuid not null,
    liked_at timestamptz not null default now(),
    primary key (message_id, user_id)
  )`.execute(db);

  await sql`create table chat_events (
    chat_id uuid not null,
    seq bigint not null,
    type text not null,
    frame text not null,
    headers jsonb not null default '{}',
    created_at timestamptz not null default now(),
    published_at timestamptz,
    primary key (chat_id, seq)
  )`.execute(db);
  await sql`create index chat_events_unpublished_idx on chat_events (created_at) where published_at is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['chat_events', 'message_likes', 'message_reads', 'messages', 'chat_participants', 'chats']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
