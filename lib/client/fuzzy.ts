/**
 * Fuzzy matching for the quick switcher: the query's characters in order, anywhere in the text ("gnrl" finds
 * "general"), scored so that a match at the start, at word starts and in runs ranks first. Allocation-free per
 * candidate (it runs on every keystroke over hundreds of conversations).
 */
export function fuzzyScore(query: string, text: string): number {
  const q = query.toLowerCase();
  const t = text.toLowerCase();
  if (q.length === 0) return 1;
  if (q.length > t.length) return 0;
  let score = 0;
  let ti = 0;
  let run = 0;
  for (let qi = 0; qi < q.length; qi++) {
    const ch = q.charCodeAt(qi);
    if (ch === 32) continue; // spaces in the query separate words, they need not match
    let found = -1;
    for (; ti < t.length; ti++) {
      if (t.charCodeAt(ti) === ch) {
        found = ti;
        break;
      }
    }
    if (found < 0) return 0;
    const prev = found > 0 ? t.charCodeAt(found - 1) : 32;
    const wordStart = found === 0 || prev === 32 || prev === 95 || prev === 46 || prev === 45 || prev === 64 || prev === 35;
    run = found > 0 && qi > 0 && t.charCodeAt(found - 1) === q.charCodeAt(qi - 1) ? run + 1 : 0;
    score += 1 + (wordStart ? 3 : 0) + run * 2 + (found === 0 ? 4 : 0);
    ti = found + 1;
  }
  // Shorter texts with the same match are closer.
  return score + q.length / t.length;
}

export interface Ranked<T> {
  item: T;
  score: number;
}

/** The best matches (over several fields per item); ties keep the given order (recent first). */
export function fuzzyRank<T>(query: string, items: T[], fields: (item: T) => string[], limit = 20): Ranked<T>[] {
  const q = query.trim();
  const out: Ranked<T>[] = [];
  for (const item of items) {
    let best = 0;
    for (const f of fields(item)) {
      const s = fuzzyScore(q, f);
      if (s > best) best = s;
    }
    if (best > 0) out.push({ item, score: best });
  }
  if (q) out.sort((a, b) => b.score - a.score); // stable: recency breaks ties
  return out.slice(0, limit);
}
