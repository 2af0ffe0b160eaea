/** What every server a test owns offers (own NATS, a node of an own cluster, own PostgreSQL). */
export interface OwnServer {
  readonly url: string;
  readonly port: number;
  /** The running server's pid (the last one's after it stopped). */
  readonly pid: number;
  readonly running: boolean;
  /** The server's output lines (this run's), for failure messages. */
  readonly output: string[];
  /** SIGKILL, as a crash would; the data stays for restart(). */
  kill(): Promise<void>;
  /** Graceful shutdown that keeps the data, for an outage that restart() ends. */
  shutdown(): Promise<void>;
  /** Starts again on the same port and data, and resolves once it answers. */
  restart(): Promise<void>;
}
