import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { ConfigError } from '@chatroulette/config';
import { connectToServer, printableUrl } from './wait-for-server.js';

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

describe('connectToServer', () => {
  it('waits for a server that refuses, says so once after a second, then stops with a ConfigError naming DATABASE_URL', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (l: string) => void lines.push(l) });
    const port = await closedPort();
    const started = Date.now();
    const err = await connectToServer(`postgres://postgres:secret@127.0.0.1:${port}/postgres`, log, 1500).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(new RegExp(`^PostgreSQL at postgres://postgres:\\*\\*\\*@127.0.0.1:${port}/postgres \\(DATABASE_URL\\) does not accept connections: .*ECONNREFUSED`));
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    expect(lines.filter((l) => l.includes('waiting for PostgreSQL'))).toHaveLength(1);
    expect(lines.join('')).not.toContain('secret');
  });

  it('hides the password of a printed URL', () => {
    expect(printableUrl('postgres://u:pw@h:1/db')).toBe('postgres://u:***@h:1/db');
  });
});
