import { pino } from 'pino';
import { connectNats, type NatsConnection } from '@chatroulette/nats';
import type { TestScope } from '@chatroulette/testing';

/** The test's own connection to its scope's NATS, to watch and publish events; drain it in afterAll. */
export function connectScopeNats(scope: Pick<TestScope, 'natsUrl'>, name: string): Promise<NatsConnection> {
  return connectNats({ nats: scope.natsUrl, name, log: pino({ level: 'silent' }) });
}
