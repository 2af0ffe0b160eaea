import type { ColumnType, Generated, Selectable } from 'kysely';
import type { UserBlocksCopyTable } from '@chatroulette/blocks';
import type { MessageObject, ReportReason } from '@chatroulette/contracts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** One row per searching user (the primary key keeps a user in the queue at most once). */
export interface QueueTable {
  user_id: string;
  interests: string[];
  enqueued_at: Generated<Timestamp>;
  /** The searcher's last search, find or activity call (queue liveness without a socket). */
  active_at: Timestamp;
}

export type MatchStatus = 'pending' | 'active' | 'ending' | 'ended';

/**
 * A pairing. `pending` until the messages service has created its chat, `active` once both were told,
 * `ending` until the messages service has closed the chat, then `ended`.
 */
export interface MatchesTable {
  id: string;
  user_a: string;
  user_b: string;
  chat_id: string | null;
  status: MatchStatus;
  created_at: Generated<Timestamp>;
  ended_at: Date | null;
  left_user_id: string | null;
  left_username: string | null;
  /** When the relay job may finish a pending or ending match that its starter left behind. */
  retry_at: Timestamp;
}

/** One row per user in a live match (the primary key keeps a user in at most one). */
export interface ActiveMatchesTable {
  user_id: string;
  match_id: string;
  /** The interests of the search that made the match, for a requeue after a skip. */
  interests: string[];
}

/** The last skip between two users, stored with the smaller id first. */
export interface SkipsTable {
  user_lo: string;
  user_hi: string;
  skipped_at: Generated<Timestamp>;
}

/** Events committed with the change that caused them, published after the commit. */
export interface OutboxTable {
  id: Generated<number>;
  subject: string;
  body: string;
  dedup_id: string;
  created_at: Generated<Timestamp>;
}

/** A user whose sockets are all gone leaves the roulette at `due_at` unless they come back. */
export interface GraceDeadlinesTable {
  user_id: string;
  /** From auth's offline event, for chatroulette_left. */
  username: ColumnType<string, string | undefined, string>;
  due_at: Timestamp;
}

/** A user kept out of the roulette until `suspended_until` (by the reports, or by a moderator). */
export interface SuspensionsTable {
  user_id: string;
  suspended_until: Timestamp;
  moderator_id: string | null;
  created_at: Timestamp;
}

export type ReportStatus = 'open' | 'resolved';

/** One report per reporter and chat, with the chat's newest messages as they were then. */
export interface ReportsTable {
  id: string;
  chat_id: string;
  reporter_id: string;
  reported_id: string;
  reason: ReportReason;
  details: string | null;
  messages: ColumnType<MessageObject[], string, never>;
  status: Generated<ReportStatus>;
  created_at: Timestamp;
  resolved_at: Date | null;
  resolved_by: string | null;
}

/** What each moderator did, and when. */
export interface ModerationActionsTable {
  id: Generated<number>;
  moderator_id: string;
  moderator_username: string;
  action: 'suspend' | 'lift';
  user_id: string;
  suspended_until: Date | null;
  at: Timestamp;
}

export interface Database {
  queue: QueueTable;
  matches: MatchesTable;
  active_matches: ActiveMatchesTable;
  skips: SkipsTable;
  outbox: OutboxTable;
  grace_deadlines: GraceDeadlinesTable;
  /** The copy of auth's blocks (libs/blocks). */
  user_blocks: UserBlocksCopyTable;
  suspensions: SuspensionsTable;
  reports: ReportsTable;
  moderation_actions: ModerationActionsTable;
}

export type Match = Selectable<MatchesTable>;
export type OutboxRow = Selectable<OutboxTable>;
