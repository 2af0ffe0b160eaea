import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';

/**
 * What one test file needs to run beside the others: its own database names and its own
 * NATS namespace (subjects and streams), on the servers that the global setup found.
 */
export function testScope(label: string) {
  const id = `${inject('runId')}_${label.toLowerCase().replace(/[^a-z0-9]/g, '_').slice(0, 20)}_${randomBytes(4).toString('hex')}`;
  return {
    natsUrl: inject('natsUrl'),
    databaseUrl: inject('databaseUrl'),
    namespace: id,
    /** A database name for one service of this file. */
    database: (service: string) => `${id}_${service}`,
  };
}

export type TestScope = ReturnType<typeof testScope>;

declare module 'vitest' {
  export interface ProvidedContext {
    natsUrl: string;
    databaseUrl: string;
    runId: string;
  }
}
