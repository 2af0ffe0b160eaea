import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** A database handle or a transaction: queries take either. */
export type Db = Kysely<Database>;
