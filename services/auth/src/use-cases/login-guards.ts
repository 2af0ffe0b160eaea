import { setTimeout as sleep } from 'node:timers/promises';
import type { AuthContext } from '../context.js';
import { lockDelayMs, loginLocked } from '../domain/lockout.js';
import * as failures from '../db/queries/login-failures.js';

/**
 * Reserves one attempt of a username before its password is hashed (db/queries/login-failures.ts):
 * 429 with Retry-After while the username is locked, whatever the password.
 */
export async function reserveUsernameAttempt(ctx: AuthContext, userKey: string): Promise<void> {
  const { freeFailures, firstDelayMs, maxDelayMs, windowS } = ctx.lockout;
  const n = await failures.reserveAttempt(ctx.db, userKey, { free: freeFailures, firstDelayS: firstDelayMs / 1000, maxDelayS: maxDelayMs / 1000, windowS });
  if (n === null) throw loginLocked(await failures.lockedForMs(ctx.db, [userKey]));
  if (n >= freeFailures) ctx.log.info({ key: 'user', failures: n }, 'login locked after this attempt');
}

/**
 * An address past its free failures waits its lock (capped at LOGIN_ADDRESS_DELAY_MAX_SECONDS) before
 * its attempt goes on. Waiting, not refusing: behind a NAT or a proxy many people share an address,
 * and one of them guessing must not lock the others out; the login budget per address caps how many
 * attempts wait at once.
 */
export async function addressSlowdown(ctx: AuthContext, addrKey: string): Promise<void> {
  const waitMs = Math.min(await failures.lockedForMs(ctx.db, [addrKey]), ctx.cfg.loginAddressDelayMaxSeconds * 1000);
  if (waitMs > 0) await sleep(waitMs);
}

/** Counts a failed attempt of an address and locks (slows) it past its free failures. */
export async function countAddressFailure(ctx: AuthContext, addrKey: string): Promise<void> {
  const n = await failures.addFailure(ctx.db, addrKey, ctx.lockout.windowS);
  const delay = lockDelayMs(n, ctx.lockout.freeFailuresPerAddress, ctx.lockout.maxDelayMs, ctx.lockout.firstDelayMs);
  if (delay > 0) {
    await failures.lockFor(ctx.db, addrKey, delay);
    ctx.log.info({ key: addrKey, failures: n, delayMs: delay }, 'login address slowed down');
  }
}
