import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { generatePrivateKeyPem, loadSigningKey, type SigningKey } from '@chatroulette/tokens';
import type { Database } from '../db/schema.js';
import { ensureDevelopmentKey } from '../db/queries/signing-keys.js';

/**
 * The configured key, or else the development key kept in the database, so that restarts and
 * other instances sign and verify with the same key.
 */
export async function resolveSigningKey(
  configuredPem: string | undefined,
  db: Kysely<Database>,
  log: Logger,
): Promise<SigningKey> {
  if (configuredPem) {
    const key = loadSigningKey(configuredPem);
    log.info({ kid: key.kid }, 'signing key loaded from configuration');
    return key;
  }
  const key = loadSigningKey(await ensureDevelopmentKey(db, generatePrivateKeyPem()));
  log.warn(
    { kid: key.kid },
    'DEVELOPMENT signing key in use (kept in the auth database); set AUTH_PRIVATE_KEY or AUTH_PRIVATE_KEY_FILE in production',
  );
  return key;
}
