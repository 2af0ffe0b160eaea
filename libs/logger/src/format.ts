import { build, prettyFactory } from 'pino-pretty';
import type { DestinationStream } from 'pino';

export type LogFormat = 'json' | 'pretty';

/**
 * LOG_FORMAT (`json` or `pretty`), else pretty when the output is a terminal: a person reads a
 * terminal, a log shipper reads JSON. Null for any other value, which the caller reports.
 */
export function logFormat(value: string | undefined, isTTY: boolean): LogFormat | null {
  if (value === undefined || value === '') return isTTY ? 'pretty' : 'json';
  return value === 'json' || value === 'pretty' ? value : null;
}

const prettyOptions = { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', singleLine: true } as const;

/** A synchronous pretty stream for pino (no worker thread: lines keep their order with other output). */
export function prettyDestination(colorize = true): DestinationStream {
  return build({ ...prettyOptions, colorize, sync: true });
}

/** Turns one JSON log line into the pretty line; a line that is not a pino record comes back as it is. */
export function prettyLine(colorize: boolean): (line: string) => string {
  const pretty = prettyFactory({ ...prettyOptions, colorize });
  return (line) => {
    if (!line.startsWith('{')) return line;
    try {
      return pretty(JSON.parse(line)).replace(/\n$/, '');
    } catch {
      return line;
    }
  };
}
