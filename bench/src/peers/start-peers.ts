import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startOwnProcess, type OwnProcess } from '@chatroulette/testing';
import type { FanoutTarget } from '../scenarios/fanout.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const listening = /^LISTENING (\d+)(?: (\w+))?/;

export interface PeerServer {
  proc: OwnProcess;
  target: FanoutTarget;
  native?: boolean;
}

/** Starts a peer server as its own process; resolves once it listens. */
export async function startPeer(kind: 'uws' | 'socketio', env: { natsUrl: string; namespace: string; cwd: string; openFiles: number }): Promise<PeerServer> {
  const proc = await startOwnProcess({
    args: ['--import', 'tsx', path.join(here, kind === 'uws' ? 'uws-peer.ts' : 'socketio-peer.ts')],
    cwd: env.cwd,
    env: { NATS_URL: env.natsUrl, NATS_NAMESPACE: env.namespace, PORT: '0' },
    openFiles: env.openFiles,
    ready: listening,
    readyTimeoutMs: 60_000,
    label: `${kind}-peer`,
  });
  const m = listening.exec(await proc.waitForLine(listening))!;
  const port = Number(m[1]);
  const target: FanoutTarget =
    kind === 'uws'
      ? { name: 'uws', pid: proc.pid, port, protocol: 'ws', socketPath: (chatId) => `/ws?chat_id=${chatId}` }
      : { name: 'socketio', pid: proc.pid, port, protocol: 'eio', socketPath: (chatId) => `/socket.io/?EIO=4&transport=websocket&chat_id=${chatId}` };
  return { proc, target, native: kind === 'uws' ? m[2] === 'native' : undefined };
}
