import { ConfigError } from './config-error.js';

/** Every variable that says how to authenticate to NATS; a service's own user replaces all of them. */
const authVariables = ['NATS_USER', 'NATS_PASSWORD', 'NATS_TOKEN', 'NATS_CREDS', 'NATS_NKEY_SEED'] as const;

/**
 * The environment of one service's process when several run from one environment (`npm start`):
 * NATS_<SERVICE>_USER and NATS_<SERVICE>_PASSWORD, when set, become its NATS_USER and NATS_PASSWORD,
 * in place of the common credentials; without them the common ones stay.
 */
export function natsEnvForService(service: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const prefix = `NATS_${service.toUpperCase()}`;
  const user = env[`${prefix}_USER`] || undefined;
  const password = env[`${prefix}_PASSWORD`] || undefined;
  if (!user && !password) return { ...env };
  if (!user || !password) {
    throw new ConfigError(`Configuration error: ${prefix}_USER and ${prefix}_PASSWORD are set together or not at all`);
  }
  const own: NodeJS.ProcessEnv = { ...env };
  for (const name of authVariables) delete own[name];
  return { ...own, NATS_USER: user, NATS_PASSWORD: password };
}
