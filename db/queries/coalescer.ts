/** The key of a (conversation, user) pair in a coalescer's answers. */
export const pairKey = (conversationId: string, userId: string): string => `${conversationId}\u0000${userId}`;

type Pair = { c: string; u: string };

/**
 * Lookups by (conversation, user) pair, coalesced: every lookup asked for while a statement is in flight goes out
 * together in the next statement (1,000 pairs at most per statement), and each answer comes from a statement issued
 * after it was asked for (never staler than its own query would be). `run` answers a batch as a map by `pairKey`;
 * a pair it leaves out is answered `undefined`; its error rejects the batch's lookups.
 */
export class PairCoalescer<R> {
  private waiting = new Map<string, Pair & { callbacks: ((r: R | undefined, e?: unknown) => void)[] }>();
  private busy = false;

  constructor(private readonly run: (pairs: Pair[]) => Promise<Map<string, R>>) {}

  load(conversationId: string, userId: string): Promise<R | undefined> {
    return new Promise((resolve, reject) => {
      const key = pairKey(conversationId, userId);
      let w = this.waiting.get(key);
      if (!w) this.waiting.set(key, (w = { c: conversationId, u: userId, callbacks: [] }));
      w.callbacks.push((r, e) => (e ? reject(e) : resolve(r)));
      if (!this.busy) {
        this.busy = true;
        // After the poll phase: every packet read in this turn of the event loop joins the same statement. (PGlite
        // runs a query synchronously on this thread, so a microtask would send one statement per packet.)
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.waiting.size > 0) {
      const batch = [...this.waiting.values()].slice(0, 1000);
      for (const w of batch) this.waiting.delete(pairKey(w.c, w.u));
      try {
        const found = await this.run(batch.map((w) => ({ c: w.c, u: w.u })));
        for (const w of batch) for (const cb of w.callbacks) cb(found.get(pairKey(w.c, w.u)));
      } catch (e) {
        for (const w of batch) for (const cb of w.callbacks) cb(undefined, e);
      }
    }
    this.busy = false;
  }
}
