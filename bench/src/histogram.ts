/**
 * A small log-linear latency histogram in microseconds (about 3% precision), mergeable across
 * processes: 32 linear sub-buckets per power of two.
 */
const SUB = 32;
const SUB_BITS = 5;
const SIZE = 64 * SUB;

export class Histogram {
  counts = new Float64Array(SIZE);
  total = 0;
  max = 0;
  sum = 0;

  record(us: number): void {
    const v = us < 1 ? 1 : Math.floor(us);
    this.counts[bucketOf(v)]! += 1;
    this.total += 1;
    this.sum += v;
    if (v > this.max) this.max = v;
  }

  merge(o: HistogramJson): void {
    for (const [i, c] of o.buckets) this.counts[i]! += c;
    this.total += o.total;
    this.sum += o.sum;
    if (o.max > this.max) this.max = o.max;
  }

  /** Upper edge of the bucket holding the q-quantile, in microseconds (0 when empty). */
  quantile(q: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (let i = 0; i < SIZE; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(upperOf(i), this.max);
    }
    return this.max;
  }

  reset(): void {
    this.counts.fill(0);
    this.total = 0;
    this.max = 0;
    this.sum = 0;
  }

  toJSON(): HistogramJson {
    const buckets: [number, number][] = [];
    for (let i = 0; i < SIZE; i++) if (this.counts[i]) buckets.push([i, this.counts[i]!]);
    return { buckets, total: this.total, max: this.max, sum: this.sum };
  }

  summary(): LatencySummary {
    return {
      count: this.total,
      p50Ms: this.quantile(0.5) / 1000,
      p99Ms: this.quantile(0.99) / 1000,
      p999Ms: this.quantile(0.999) / 1000,
      maxMs: this.max / 1000,
      meanMs: this.total ? this.sum / this.total / 1000 : 0,
    };
  }
}

export interface HistogramJson {
  buckets: [number, number][];
  total: number;
  max: number;
  sum: number;
}

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  meanMs: number;
}

function bucketOf(v: number): number {
  if (v < SUB) return v;
  const exp = 31 - Math.clz32(v); // v >= 32 so exp >= 5
  const sub = (v >>> (exp - SUB_BITS)) & (SUB - 1);
  return Math.min((exp - SUB_BITS + 1) * SUB + sub, SIZE - 1);
}

function upperOf(i: number): number {
  if (i < SUB) return i;
  const exp = Math.floor(i / SUB) + SUB_BITS - 1;
  const sub = i % SUB;
  return ((SUB + sub + 1) << (exp - SUB_BITS)) - 1;
}
