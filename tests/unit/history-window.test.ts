import { describe, expect, it } from 'vitest';
import { WINDOW_MAX, WINDOW_PAGE, windowOf, withLiveCopies, withNewer, withOlder } from '../../lib/client/history-window';
import type { MessageDto } from '../../lib/validation/dto';

const msg = (seq: number, body = `m${seq}`): MessageDto => ({ id: `id${seq}`, seq, body }) as MessageDto;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => msg(from + i));
const seqs = (items: MessageDto[]) => items.map((m) => m.seq);

describe('history window', () => {
  it('reads a 50,000-message history to the first message and back, never holding more than WINDOW_MAX', () => {
    const total = 50_000;
    // The server's answers: `before` the oldest held, `after` the newest held, oldest first.
    const before = (seq: number) => {
      const messages = range(Math.max(1, seq - WINDOW_PAGE), seq - 1);
      return { messages, hasMore: (messages[0]?.seq ?? 1) > 1 };
    };
    const after = (seq: number) => {
      const messages = range(seq + 1, Math.min(total, seq + WINDOW_PAGE));
      return { messages, hasMore: (messages[messages.length - 1]?.seq ?? total) < total };
    };
    let w = windowOf(range(total - 199, total), true, true);
    let most = 0;
    let steps = 0;
    while (w.hasMore) {
      w = withOlder(w, before(w.items[0]!.seq));
      most = Math.max(most, w.items.length);
      steps++;
    }
    expect(w.items[0]!.seq).toBe(1);
    expect(w.hasMoreAfter).toBe(true);
    expect(most).toBe(WINDOW_MAX);
    expect(steps).toBe(Math.ceil((total - 200) / WINDOW_PAGE));
    // Every step keeps the held messages contiguous.
    expect(seqs(w.items)).toEqual(seqs(range(1, WINDOW_MAX)));

    while (w.hasMoreAfter) {
      w = withNewer(w, after(w.items[w.items.length - 1]!.seq));
      most = Math.max(most, w.items.length);
      const s = seqs(w.items);
      expect(s[s.length - 1]! - s[0]! + 1).toBe(s.length);
    }
    expect(most).toBe(WINDOW_MAX);
    expect(w.items[w.items.length - 1]!.seq).toBe(total);
    expect(w.hasMore).toBe(true);
  });

  it('a page that overlaps what is held adds nothing twice', () => {
    const w = withOlder(windowOf(range(50, 60), true, false), { messages: range(40, 55), hasMore: true });
    expect(seqs(w.items)).toEqual(seqs(range(40, 60)));
    expect(w.hasMoreAfter).toBe(false); // nothing dropped: the newest are still the newest
    const n = withNewer(w, { messages: range(58, 70), hasMore: false });
    expect(seqs(n.items)).toEqual(seqs(range(40, 70)));
    expect(n.hasMoreAfter).toBe(false);
    expect(n.hasMore).toBe(true);
  });

  it('shows the live copy of a message the live timeline also holds', () => {
    const items = range(1, 3);
    expect(withLiveCopies(items, undefined)).toBe(items);
    expect(withLiveCopies(items, range(10, 12))).toBe(items);
    const edited = msg(2, 'edited');
    expect(withLiveCopies(items, [edited, msg(4)]).map((m) => m.body)).toEqual(['m1', 'edited', 'm3']);
  });
});
