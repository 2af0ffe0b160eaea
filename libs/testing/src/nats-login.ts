/** How a service logs in to NATS in a test: one of the ways its config reads (libs/config nats-env). */
export type NatsLogin = { user: string; password: string } | { token: string } | { creds: string } | { nkeySeed: string };

/** The environment variables that say `login` to a service's configFromEnv. */
export function natsLoginEnv(login: NatsLogin | undefined): Record<string, string> {
  if (!login) return {};
  if ('user' in login) return { NATS_USER: login.user, NATS_PASSWORD: login.password };
  if ('token' in login) return { NATS_TOKEN: login.token };
  if ('creds' in login) return { NATS_CREDS: login.creds };
  return { NATS_NKEY_SEED: login.nkeySeed };
}
