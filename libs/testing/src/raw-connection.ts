import net from 'node:net';

/**
 * A plain TCP connection to an HTTP server, for requests no client library sends (a body that
 * trickles in, a head with nothing after it): write the bytes yourself, read what came back.
 */
export async function rawConnection(baseUrl: string) {
  const { port } = new URL(baseUrl);
  const socket = net.connect(Number(port), '127.0.0.1');
  socket.on('error', () => undefined);
  await new Promise<void>((r) => socket.once('connect', () => r()));
  let text = '';
  socket.on('data', (c: Buffer) => (text += c.toString()));
  const ended = new Promise<void>((r) => socket.once('close', () => r()));
  return {
    socket,
    /** What the server answered so far. */
    answer: () => text,
    /** Forgets what was answered so far (after a first request on the connection). */
    forget: () => {
      text = '';
    },
    ended,
    close: () => socket.destroy(),
  };
}

export type RawConnection = Awaited<ReturnType<typeof rawConnection>>;
