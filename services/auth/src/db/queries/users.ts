import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

type Db = Kysely<Database>;

const profileColumns = [
  'id',
  'username',
  'is_online',
  'last_seen',
  'created_at',
  'display_name',
  'bio',
  'avatar_url',
  'show_username',
  'show_birthday',
  'show_online_status',
  // node-postgres would read a date as midnight in the process's time zone.
  sql<string | null>`to_char(birthday, 'YYYY-MM-DD')`.as('birthday'),
] as const;

/** Throws the unique violation of `users_username_key` when the name is taken. */
export function insertUser(db: Db, user: { username: string; usernameKey: string; passwordHash: string }) {
  return db
    .insertInto('users')
    .values({ username: user.username, username_key: user.usernameKey, password_hash: user.passwordHash })
    .returning(['id', 'username', 'created_at'])
    .executeTakeFirstOrThrow();
}

export function findCredentials(db: Db, usernameKey: string) {
  return db
    .selectFrom('users')
    .select(['id', 'username', 'password_hash', 'is_online', 'last_seen', 'tokens_valid_from'])
    .where('username_key', '=', usernameKey)
    .executeTakeFirst();
}

/** What a refresh or a password change needs of the caller. */
export function findCredentialsById(db: Db, id: string) {
  return db
    .selectFrom('users')
    .select(['id', 'username', 'password_hash', 'tokens_valid_from'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * A new password, only if the verified hash is still the stored one (two changes at once: one wins),
 * and every earlier token revoked from `validFrom` (epoch seconds) on. Returns whether it changed.
 */
export async function changePassword(db: Db, id: string, oldHash: string, newHash: string, validFrom: number): Promise<boolean> {
  const res = await db
    .updateTable('users')
    .set({ password_hash: newHash, tokens_valid_from: validFrom })
    .where('id', '=', id)
    .where('password_hash', '=', oldHash)
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

/** Replaces a hash made with an older cost; only when it is still the one that was verified. */
export function updatePasswordHash(db: Db, id: string, oldHash: string, newHash: string) {
  return db
    .updateTable('users')
    .set({ password_hash: newHash })
    .where('id', '=', id)
    .where('password_hash', '=', oldHash)
    .execute();
}

export function findProfile(db: Db, id: string){
  return db.selectFrom('users').select(profileColumns).where('id', '=', id).executeTakeFirst();
}

export function updateProfile(
  db: Db,
  id: string,
  fields: {
    display_name?: string | null;
    bio?: string | null;
    avatar_url?: string | null;
    birthday?: string | null;
    show_username?: boolean;
    show_birthday?: boolean;
    show_online_status?: boolean;
  },
){
  if (Object.keys(fields).length === 0) return findProfile(db, id);
  return db.updateTable('users').set(fields).where('id', '=', id).returning(profileColumns).executeTakeFirst();
}

export function findPublicUsers(db: Db, ids: readonly string[]) {
  return db
    .selectFrom('users')
    .select(['id', 'username', 'is_online', 'last_seen'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
}
