/**
 * The client's message merge: a page fetched before a live change does not undo it (an edit, a deletion of a message
 * held or not yet held), while a page fetched after it is taken as it is.
 */
import { describe, expect, it } from 'vitest';
import { fetchStamp, markDeleted, markPersonLive, mergeMessages, withLivePeople } from '../../lib/client/store';
import type { ConversationDto, MessageDto } from '../../lib/validation/dto';

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

describe('withLivePeople', () => {
  function conversation(members: { id: string; status: { emoji: string; text: string } | null; online: boolean }[]): ConversationDto {
    return {
      id: 'c1', kind: 'direct', title: null, memberCount: members.length, lastMessage: null, updatedAt: new Date(0).toISOString(),
      members: members.map((m) => ({ ...m, username: m.id, displayName: m.id, avatarUrl: null, role: 'member', lastSeenAt: null, lastReadMessageId: null, lastReadSeq: 0 })),
    } as unknown as ConversationDto;
  }

  it('a status cleared live while the conversation list is on its way stays cleared; a list asked for later is taken', () => {
    const asked = fetchStamp();
    markPersonLive('ana', { status: null, online: true });
    const stale = conversation([{ id: 'ana', status: { emoji: '🌴', text: 'On holiday' }, online: false }, { id: 'ben', status: null, online: true }]);
    const [c] = withLivePeople([stale], asked);
    expect(c!.members.find((m) => m.id === 'ana')).toMatchObject({ status: null, online: true });
    expect(c!.members.find((m) => m.id === 'ben')).toBe(stale.members[1]);
    // Set again after the event and read after that: the list's answer is newer than the event.
    const later = fetchStamp();
    const fresh = conversation([{ id: 'ana', status: { emoji: '🍝', text: 'Lunch' }, online: true }]);
    expect(withLivePeople([fresh], later)[0]).toBe(fresh);
  });
});
