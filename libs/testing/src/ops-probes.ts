/** A log a test reads: give `stream` to a service's logger (`createLogger(name, level, stream)`). */
export function logLines() {
  const lines: Record<string, any>[] = [];
  return {
    stream: { write: (s: string) => void lines.push(JSON.parse(s)) },
    lines,
    /** The access-log lines (one per request) of the request with this id. */
    requestLines: (requestId: string) => lines.filter((l) => l.msg === 'request' && l.request_id === requestId),
  };
}

export interface Metrics {
  /** The exposition text as served. */
  readonly text: string;
  /**
   * The value of a sample: `name` exactly (with `_count`, `_sum` or `_bucket` for a histogram's
   * parts), with at least these labels; summed when several label sets match; 0 when none does.
   */
  value(name: string, labels?: Record<string, string>): number;
}

/** GET `<base>/metrics`, parsed enough to read a sample. */
export async function scrapeMetrics(base: string): Promise<Metrics> {
  const res = await fetch(`${base}/metrics`);
  if (res.status !== 200) throw new Error(`GET /metrics: ${res.status}`);
  const text = await res.text();
  const samples = text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(l);
      if (!m) throw new Error(`not a sample line: ${l}`);
      const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1]!, x[2]!]));
      return { name: m[1]!, labels, value: Number(m[3]) };
    });
  return {
    text,
    value(name, labels = {}) {
      return samples
        .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
        .reduce((sum, s) => sum + s.value, 0);
    },
  };
}
