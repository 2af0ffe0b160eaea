/**
 * Auth's environment in these tests, over the stack's (which already lowers PASSWORD_HASH_COST):
 * tokens of an hour, a small pool, and a fast presence sweep so dead gateways expire in the test's time.
 */
export const authTestEnv = { DATABASE_POOL_SIZE: '5', TOKEN_TTL_SECONDS: '3600', PRESENCE_SWEEP_MS: '100' };

export const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
