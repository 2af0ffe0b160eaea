/**
 * This instance's matcher: one batch at a time, each taking whoever joined while the one before
 * ran (at most `maxBatch` of them), so a crowd of searches costs a few transactions instead of one
 * each, and a lone search waits for nobody. Every joiner of a batch gets the batch's result; a
 * failed batch fails its joiners only.
 */
export function createMatcher<In, Out>(run: (items: In[]) => Promise<Out>, maxBatch: number) {
  const joined: { item: In | undefined; resolve: (out: Out) => void; reject: (err: unknown) => void }[] = [];
  let running = false;

  async function drain(): Promise<void> {
    running = true;
    while (joined.length > 0) {
      const batch = joined.splice(0, maxBatch);
      try {
        const out = await run(batch.flatMap((j) => (j.item === undefined ? [] : [j.item])));
        for (const j of batch) j.resolve(out);
      } catch (err) {
        for (const j of batch) j.reject(err);
      }
    }
    running = false;
  }

  return {
    /** Joins the next batch (`item` undefined: a run for the waiting queue alone, as the periodic job's). */
    join(item?: In): Promise<Out> {
      return new Promise<Out>((resolve, reject) => {
        joined.push({ item, resolve, reject });
        if (!running) void drain();
      });
    },
  };
}

export type Matcher<In, Out> = ReturnType<typeof createMatcher<In, Out>>;
