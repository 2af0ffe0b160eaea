export type SeqVerdict = 'deliver' | 'duplicate' | 'gap';

/**
 * One chat's sequence as the app has seen it: each seq is delivered once, in order. `last` null: no
 * seq known yet, the first one seen starts it.
 */
export class SeqGate {
  constructor(public last: number | null = null) {}

  check(seq: number): SeqVerdict {
    if (this.last !== null && seq <= this.last) return 'duplicate';
    if (this.last !== null && seq !== this.last + 1) return 'gap';
    this.last = seq;
    return 'deliver';
  }
}
