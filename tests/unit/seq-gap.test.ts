/**
 * The client's gap rule (lib/client/gap.ts, used by ChatProvider's live path): seq n+2 after n fetches what lies
 * between before the new message is shown. The "server" here is an in-memory history answering `after=` pages the
 * way GET /conversations/{id}/messages does (oldest first, at most `limit`, hasMore).
 */
import { describe, expect, it } from 'vitest';
import { fillGap, hasGap } from '../../lib/client/gap';
import type { MessageDto } from '../../lib/validation/dto';

const msg = (seq: number): MessageDto => ({ id: `m${String(seq).padStart(6, '0')}`, conversationId: 'c1', seq }) as unknown as MessageDto;
const history = Array.from({ length: 400 }, (_, i) => msg(i + 1));

function server(limit: number) {
  const calls: string[] = [];
  const fetchAfter = async (_cid: string, afterId: string) => {
    calls.push(afterId);
    const from = history.findIndex((m) => m.id === afterId) + 1;
    const messages = history.slice(from, from + limit);
    return { messages, hasMore: from + limit < history.length };
  };
  return { calls, fetchAfter };
}

describe('seq gaps', () => {
  it('n+1 after n is no gap; n+2 is; nothing held is no gap', () => {
    expect(hasGap(msg(5), msg(6))).toBe(false);
    expect(hasGap(msg(5), msg(7))).toBe(true);
    expect(hasGap(msg(5), msg(5))).toBe(false);
    expect(hasGap(undefined, msg(9))).toBe(false);
  });

  it('fetches exactly the missing messages, then the new one, in order', async () => {
    const s = server(100);
    const list = await fillGap(msg(10), msg(13), s.fetchAfter);
    expect(list.map((m) => m.seq)).toEqual([11, 12, 13]);
    expect(s.calls).toEqual(['m000010']);
  });

  it('a gap longer than a page takes several pages and stops at the new message', async () => {
    const s = server(100);
    const list = await fillGap(msg(10), msg(260), s.fetchAfter);
    expect(list.map((m) => m.seq)).toEqual(Array.from({ length: 250 }, (_, i) => 11 + i));
    expect(s.calls.length).toBe(3);
  });

  it('gives up after maxPages but still shows the new message', async () => {
    const s = server(10);
    const list = await fillGap(msg(1), msg(300), s.fetchAfter, 2);
    expect(list.length).toBe(21);
    expect(list[list.length - 1]!.seq).toBe(300);
  });
});
