import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { generatePrivateKeyPem, loadSigningKey, type SigningKey } from '@chatroulette/tokens';
import type { Database } from '../db/schema.js';
import { deleteDevelopmentKey, ensureDevelopmentKey, findDevelopmentKey } from '../db/queries/signing-keys.js';
import type { Revocations } from '../events/revocations.js';

/**
 * The configured key, or else (AUTH_DEV_KEY=1, checked by the config) the development key kept in
 * the database, so that restarts and other instances sign and verify with the same key. A configured
 * key retires a stored development key: its tokens are revoked everywhere (the revocation bucket's
 * `kid.<kid>`) before the key is deleted, so nothing it signed is accepted after the switch.
 */
export async function resolveSigningKey(
  configuredPem: string | undefined,
  db: Kysely<Database>,
  revocations: Revocations,
  log: Logger,
): Promise<SigningKey> {
  if (configuredPem) {
    const key = loadSigningKey(configuredPem);
    log.info({ kid: key.kid }, 'signing key loaded from configuration');
    const devPem = await findDevelopmentKey(db);
    if (devPem) {
      const dev = loadSigningKey(devPem);
      if (dev.kid !== key.kid) await revocations.retireKey(dev.kid);
      await deleteDevelopmentKey(db);
      log.warn({ kid: dev.kid }, 'development signing key retired: its tokens are refused from now on');
    }
    return key;
  }
  const key = loadSigningKey(await ensureDevelopmentKey(db, generatePrivateKeyPem()));
  log.warn(
    { kid: key.kid },
    'DEVELOPMENT signing key in use (AUTH_DEV_KEY=1, kept in the auth database); set AUTH_PRIVATE_KEY or AUTH_PRIVATE_KEY_FILE in production',
  );
  return key;
}
