/** What the benchmark scripts share: a bounded-concurrency map, latency percentiles and a process's CPU time. */
import { readFileSync } from 'node:fs';


/** Runs `fn` over `items` with at most `concurrency` at a time; the answers in the items' order. */
export async function pool<T, R>(items: T[], concurrency: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

/** 0, 1, … n-1: for `pool` over a count. */
export const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

export const round = (n: number, d = 2): number | null => (Number.isFinite(n) ? Math.round(n * 10 ** d) / 10 ** d : null);

/** Nearest-rank percentiles (the value at or above the fraction q of the samples), in milliseconds; null when empty. */
export function percentiles(values: number[]) {
  if (values.length === 0) return { n: 0, p50_ms: null, p95_ms: null, p99_ms: null, max_ms: null };
  const a = Float64Array.from(values).sort();
  const at = (q: number) => a[Math.min(a.length - 1, Math.max(0, Math.ceil(q * a.length) - 1))]!;
  return { n: a.length, p50_ms: round(at(0.5)), p95_ms: round(at(0.95)), p99_ms: round(at(0.99)), max_ms: round(a[a.length - 1]!) };
}
/** User + system CPU seconds of a process. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (CLK_TCK 100)
  } catch {
    return NaN;
  }
}

