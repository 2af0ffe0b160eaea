import { describe, expect, it } from 'vitest';
import { createLogger } from '@chatroulette/logger';
import { defineService } from './lifecycle.js';

const log = createLogger('test', 'silent');

describe('defineService', () => {
  it('starts once and closes what it owns in reverse order, once', async () => {
    const closed: string[] = [];
    let boots = 0;
    const svc = defineService('t', log, async (o) => {
      boots++;
      o.own('db', 'db', (r) => closed.push(r));
      o.atStop('flush', () => closed.push('flush'));
      o.own('http', 'http', (r) => closed.push(r));
      return { port: 1 };
    });
    expect(await Promise.all([svc.start(), svc.start()])).toEqual([{ port: 1 }, { port: 1 }]);
    await Promise.all([svc.destroy(), svc.destroy()]);
    expect(boots).toBe(1);
    expect(closed).toEqual(['http', 'flush', 'db']);
    await expect(svc.start()).rejects.toThrow(/destroyed/);
  });

  it('after a failed start, closes what was acquired before the failure and goes on past a failing step', async () => {
    const closed: string[] = [];
    const svc = defineService('t', log, async (o) => {
      o.own('db', 'db', (r) => closed.push(r));
      o.own('nats', 'nats', () => {
        throw new Error('drain failed');
      });
      throw new Error('listen failed');
    });
    await expect(svc.start()).rejects.toThrow('listen failed');
    await svc.destroy();
    expect(closed).toEqual(['db']);
  });

  it('a destroy during the start waits for it, then closes', async () => {
    const closed: string[] = [];
    let release!: () => void;
    const svc = defineService('t', log, async (o) => {
      await new Promise<void>((r) => (release = r));
      o.own('db', 'db', (r) => closed.push(r));
      return { port: 2 };
    });
    const started = svc.start();
    const destroyed = svc.destroy();
    release();
    await started;
    await destroyed;
    expect(closed).toEqual(['db']);
  });
});
