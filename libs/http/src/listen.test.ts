import express from 'express';
import { describe, expect, it } from 'vitest';
import { listen } from './listen.js';

describe('listen().close()', () => {
  it('lets a request in flight finish, then closes its keep-alive connection instead of waiting the grace', async () => {
    const app = express();
    app.get('/slow', async (_req, res) => {
      await new Promise((r) => setTimeout(r, 300));
      res.json({ ok: true });
    });
    const server = await listen(app, 0, '127.0.0.1');
    const answer = fetch(`http://127.0.0.1:${server.port}/slow`); // keep-alive by default
    await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now();
    await server.close(5000);
    const res = await answer;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(res.headers.get('connection')).toBe('close');
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});

describe('listen()', () => {
  it('binds loopback by default and the address it is given otherwise', async () => {
    const app = express();
    const loopback = await listen(app, 0);
    const any = await listen(app, 0, '0.0.0.0');
    try {
      expect(loopback.host).toBe('127.0.0.1');
      expect(any.host).toBe('0.0.0.0');
    } finally {
      await loopback.close(0);
      await any.close(0);
    }
  });
});
