/**
 * The conversation list lists a preview of each group's members; the client keeps the whole list it read when the
 * conversation opened (lib/client/store.ts `keepWholeMembers`) while the member count stays, with what the new
 * list says of the members it shows.
 */
import { describe, expect, it } from 'vitest';
import { keepWholeMembers } from '../../lib/client/store';
import type { ConversationDto } from '../../lib/validation/dto';

const member = (id: string, lastReadSeq = 0, online = false) =>
  ({ id, username: id, displayName: id, avatarUrl: null, role: 'member', online, lastSeenAt: null, lastReadMessageId: null, lastReadSeq }) as ConversationDto['members'][number];
const group = (members: ConversationDto['members'], memberCount = members.length, extra: Partial<ConversationDto> = {}) =>
  ({ id: 'g', kind: 'group', title: 'G', members, memberCount, unreadCount: 0, ...extra }) as unknown as ConversationDto;

const whole = group(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((id) => member(id)));

describe('keepWholeMembers', () => {
  it('keeps the whole list held for a preview of the same count, each shown member as the new list has it', () => {
    const preview = group([member('a', 7, true), member('b'), member('me', 3)], 8, { unreadCount: 4 });
    const held = group([...whole.members.slice(0, 7), member('me')], 8);
    const kept = keepWholeMembers(preview, held);
    expect(kept.members.map((m) => m.id)).toEqual(held.members.map((m) => m.id));
    expect(kept.members[0]).toEqual(member('a', 7, true));
    expect(kept.members.find((m) => m.id === 'me')!.lastReadSeq).toBe(3);
    expect(kept.unreadCount).toBe(4); // the rest is the new list's
  });

  it('takes the new list when it is whole, when nothing was held, or when the member count changed', () => {
    const complete = group(whole.members.slice(0, 3));
    expect(keepWholeMembers(complete, whole)).toBe(complete);
    const preview = group(whole.members.slice(0, 6), 8);
    expect(keepWholeMembers(preview, undefined)).toBe(preview);
    const grown = group(whole.members.slice(0, 6), 9);
    expect(keepWholeMembers(grown, whole)).toBe(grown);
    // Held with no more members than the preview shows: nothing to keep.
    expect(keepWholeMembers(preview, group(whole.members.slice(0, 6), 8))).toBe(preview);
  });
});
