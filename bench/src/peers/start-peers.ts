import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnNode, waitForLine, type Proc } from '../spawn.js';
import type { FanoutTarget } from '../scenarios/fanout.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface PeerServer {
  proc: Proc;
  target: FanoutTarget;
  native?: boolean;
}

/** Starts a peer server as its own process; resolves once it listens. */
export async function startPeer(kind: 'uws' | 'socketio', env: { natsUrl: string; namespace: string; cwd: string; openFiles: number }): Promise<PeerServer> {
  const file = path.join(here, kind === 'uws' ? 'uws-peer.ts' : 'socketio-peer.ts');
  const proc = spawnNode(`${kind}-peer`, file, { NATS_URL: env.natsUrl, NATS_NAMESPACE: env.namespace, PORT: '0' }, { cwd: env.cwd, openFiles: env.openFiles });
  const m = await waitForLine(proc, /^LISTENING (\d+)(?: (\w+))?/, 60_000);
  const port = Number(m[1]);
  const target: FanoutTarget =
    kind === 'uws'
      ? { name: 'uws', pid: proc.pid, port, protocol: 'ws', socketPath: (chatId) => `/ws?chat_id=${chatId}` }
      : { name: 'socketio', pid: proc.pid, port, protocol: 'eio', socketPath: (chatId) => `/socket.io/?EIO=4&transport=websocket&chat_id=${chatId}` };
  return { proc, target, native: kind === 'uws' ? m[2] === 'native' : undefined };
}
