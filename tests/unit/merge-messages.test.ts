/**
 * The client's message merge: a page fetched before a live change does not undo it (an edit, a deletion of a message
 * held or not yet held), while a page fetched after it is taken as it is.
 */
import { describe, expect, it } from 'vitest';
import { fetchStamp, markDeleted, mergeMessages } from '../../lib/client/store';
import type { MessageDto } from '../../lib/validation/dto';

let n = 0;
function msg(body: string, over: Partial<MessageDto> = {}): MessageDto {
  n++;
  return {
    id: `m${n}`, conversationId: 'c1', seq: n, kind: 'user', sender: null, body, clientId: null, replyTo: null, attachments: [], reactions: [],
    mentions: [], pinnedAt: null, createdAt: new Date(0).toISOString(), editedAt: null, deletedAt: null, ...over,
  };
}

describe('mergeMessages', () => {
  it('orders by seq and replaces by id, without duplicates', () => {
    const a = msg('a');
    const b = msg('b');
    const merged = mergeMessages([b], [a, { ...b, body: 'b2' }]);
    expect(merged.map((m) => [m.id, m.body])).toEqual([[a.id, 'a'], [b.id, 'b2']]);
  });

  it('a live edit that comes while a page is on its way wins over the page; a later page wins over it', () => {
    const m = msg('one');
    const asked = fetchStamp();
    const live = mergeMessages([m], [{ ...m, body: 'two', editedAt: new Date().toISOString() }]);
    const afterStalePage = mergeMessages(live, [m], asked);
    expect(afterStalePage[0]!.body).toBe('two');
    // A page asked for after the edit is newer still (say, a second edit): it is taken.
    const askedLater = fetchStamp();
    expect(mergeMessages(afterStalePage, [{ ...m, body: 'three' }], askedLater)[0]!.body).toBe('three');
  });

  it('a live deletion of a message not held yet turns the stale page copy into a tombstone', () => {
    const m = msg('secret', { reactions: [{ emoji: '👍', count: 1, userIds: ['u1'] }] as MessageDto['reactions'] });
    const asked = fetchStamp();
    markDeleted(m.id);
    const [shown] = mergeMessages([], [m], asked);
    expect(shown!.deletedAt).toBeTruthy();
    expect(shown!.body).toBe('');
    expect(shown!.reactions).toEqual([]);
    // A page asked for before the deletion but about another message is untouched.
    const other = msg('other');
    expect(mergeMessages([], [other], asked)[0]!.body).toBe('other');
  });
});
