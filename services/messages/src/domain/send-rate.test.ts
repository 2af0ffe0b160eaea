import { describe, expect, it } from 'vitest';
import { sendRateUnits } from './send-rate.js';

describe('sendRateUnits', () => {
  it('turns the rule into whole microseconds', () => {
    expect(sendRateUnits({ perSecond: 20, burst: 40 })).toEqual({ intervalUs: 50_000, aheadUs: 39 * 50_000, burst: 40 });
    expect(sendRateUnits({ perSecond: 3, burst: 1 })).toEqual({ intervalUs: 333_333, aheadUs: 0, burst: 1 });
    expect(sendRateUnits({ perSecond: 1_000_000, burst: 5 })).toEqual({ intervalUs: 1, aheadUs: 4, burst: 5 });
  });
});
