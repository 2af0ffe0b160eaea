import type { ColumnType, Generated } from 'kysely';

export interface UsersTable {
  id: Generated<string>;
  username: string;
  /** lower(username), unique: usernames are unique without regard to case. */
  username_key: string;
  password_hash: string;
  created_at: ColumnType<Date, never, never>;
  /** Kept in step with the presence rows, in the same transaction. */
  is_online: ColumnType<boolean, never, boolean>;
  last_seen: ColumnType<Date | null, never, Date | null>;
  display_name: ColumnType<string | null, never, string | null>;
  bio: ColumnType<string | null, never, string | null>;
  avatar_url: ColumnType<string | null, never, string | null>;
  /** A calendar date (read as YYYY-MM-DD text, never as a Date in the process's time zone). */
  birthday: ColumnType<string | null, never, string | null>;
  /** What the public profile shows (GET /users/{id}/profile leaves a hidden field out). */
  show_username: ColumnType<boolean, never, boolean>;
  show_birthday: ColumnType<boolean, never, boolean>;
  show_online_status: ColumnType<boolean, never, boolean>;
  /** Tokens issued (iat) before this second are revoked: a password change raises it. */
  tokens_valid_from: ColumnType<number, never, number>;
}

/**
 * One row per user and gateway. An offline row is kept for a while as a tombstone, so an
 * `online` event that arrives after its `offline` (two auth instances, events handled in
 * parallel) cannot bring a closed socket back to life: the newest `changed_at` wins.
 */
export interface PresenceTable {
  user_id: string;
  gateway_id: string;
  online: boolean;
  changed_at: Date;
}

export interface GatewaysTable {
  gateway_id: string;
  last_heartbeat: Date;
  interval_ms: number;
}

/** The development signing key, generated once when none is configured. */
export interface SigningKeysTable {
  id: string;
  private_key_pem: string;
  created_at: ColumnType<Date, never, never>;
}

/**
 * Failed logins per key (`user:<username_key>` or `addr:<client address>`), shared by every auth
 * instance: past the free failures a key is locked until `locked_until` (1 s, 2 s, 4 s ... capped).
 */
export interface LoginFailuresTable {
  key: string;
  failures: number;
  last_failure_at: Date;
  locked_until: Date | null;
}

/**
 * One row per pair ever blocked (an unblock keeps it, `blocked` false): every change raises `version`,
 * and the row waits to be published while `published_version < version` (it is its own outbox).
 */
export interface UserBlocksTable {
  blocker_id: string;
  blocked_id: string;
  blocked: boolean;
  version: number;
  /** When the pair was last blocked. */
  blocked_at: ColumnType<Date, never, Date | string>;
  changed_at: ColumnType<Date, never, Date | string>;
  published_version: ColumnType<number, never, number>;
}

export interface Database {
  login_failures: LoginFailuresTable;
  users: UsersTable;
  presence: PresenceTable;
  gateways: GatewaysTable;
  signing_keys: SigningKeysTable;
  user_blocks: UserBlocksTable;
}
