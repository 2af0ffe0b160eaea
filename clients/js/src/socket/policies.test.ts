import { describe, expect, it } from 'vitest';
import { closeCodes } from '../contract.js';
import { backoffDelay, defaultBackoff } from './backoff.js';
import { closeAction } from './close-policy.js';
import { renewDelay } from './renewal.js';
import { SeqGate } from './seq-gate.js';

describe('SeqGate', () => {
  it('delivers each seq once and in order, and reports a gap without moving', () => {
    const gate = new SeqGate(3);
    expect([2, 3, 4, 4, 6, 5, 6].map((s) => gate.check(s))).toEqual(['duplicate', 'duplicate', 'deliver', 'duplicate', 'gap', 'deliver', 'deliver']);
    expect(gate.last).toBe(6);
  });

  it('starts at the first seq it sees when none is known', () => {
    const gate = new SeqGate();
    expect([9, 10, 9].map((s) => gate.check(s))).toEqual(['deliver', 'deliver', 'duplicate']);
  });
});

describe('closeAction', () => {
  it('reconnects on going away, broken links, slow consumer, auth timeout and try-again-later; needs a new token on 4401 and 4501; stops on 4503 and other 45xx', () => {
    const actions = [closeCodes.goingAway, 1006, closeCodes.slowConsumer, closeCodes.authTimeout, closeCodes.tryAgainLater, 1000, 4000]
      .map((c) => closeAction(c).action);
    expect(actions).toEqual(Array(7).fill('reconnect'));
    expect(closeAction(closeCodes.tokenExpired)).toEqual({ action: 'new-token' });
    expect(closeAction(closeCodes.authFailed)).toEqual({ action: 'new-token' });
    expect(closeAction(closeCodes.notMember)).toEqual({ action: 'stop', cause: 'forbidden' });
    expect(closeAction(4599)).toEqual({ action: 'stop', cause: 'refused' });
  });
});

describe('backoffDelay', () => {
  it('doubles its step up to the maximum and jitters within the upper half of it', () => {
    const opts = { ...defaultBackoff, initialDelayMs: 100, maxDelayMs: 1000 };
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffDelay(a, opts, () => 0))).toEqual([50, 100, 200, 400, 500, 500]);
    expect([0, 1, 4].map((a) => backoffDelay(a, opts, () => 1))).toEqual([100, 200, 1000]);
  });
});

describe('renewDelay', () => {
  it('renews renewBefore ahead of the expiry, at most a third of what is left, never negative', () => {
    const now = 1_000_000;
    expect(renewDelay(now + 86_400_000, now, 60_000)).toBe(86_400_000 - 60_000);
    expect(renewDelay(now + 3000, now, 60_000)).toBe(2000);
    expect(renewDelay(now - 5, now, 60_000)).toBe(0);
  });
});
