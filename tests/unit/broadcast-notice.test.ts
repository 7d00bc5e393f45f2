import { describe, expect, it } from 'vitest';
import { broadcastNotice as noticeIn } from '../../components/chat/broadcast';
import { english } from '../../lib/i18n/english';
import type { ConversationDto, MemberDto } from '../../lib/validation/dto';

const member = (id: string, online: boolean): MemberDto => ({
  id,
  username: id,
  displayName: id,
  avatarUrl: null,
  role: 'member',
  online,
  lastSeenAt: null,
  lastReadMessageId: null,
  lastReadSeq: 0,
});

const broadcastNotice = (draft: string, c: ConversationDto | undefined) => noticeIn(draft, c, english('broadcast'));

function channel(memberCount: number, myRole: ConversationDto['myRole'], online = 3): ConversationDto {
  return {
    id: 'c',
    kind: 'channel',
    title: 'team',
    members: Array.from({ length: Math.min(memberCount, 50) }, (_, i) => member(`u${i}`, i < online)),
    memberCount,
    lastMessage: null,
    unreadCount: 0,
    mentionCount: 0,
    badgeCount: 0,
    notify: 'all',
    notifyChosen: false,
    muted: false,
    myRole,
    updatedAt: '2026-01-01T00:00:00.000Z',
    createdAt: '2026-01-01T00:00:00.000Z',
  };
}

describe('broadcastNotice (the composer warning for @channel / @here)', () => {
  it('says nothing without a broadcast mention, or in a direct conversation', () => {
    expect(broadcastNotice('hello @ana', channel(10, 'member'))).toBeNull();
    expect(broadcastNotice('mail me at x@channel.org', channel(10, 'member'))).toBeNull();
    expect(broadcastNotice('@channel', { ...channel(2, 'member'), kind: 'direct' })).toBeNull();
  });

  it('counts everyone but you for @channel / @everyone, the online ones for @here', () => {
    expect(broadcastNotice('heads up @channel', channel(10, 'member'))).toBe('This will notify 9 people.');
    expect(broadcastNotice('@everyone hi', channel(2, 'member'))).toBe('This will notify 1 person.');
    expect(broadcastNotice('anyone @here?', channel(10, 'member', 4))).toBe('This will notify the 3 people online now.');
  });

  it('over 50 members: owners and admins may, anyone else is told the message will be refused', () => {
    expect(broadcastNotice('@channel', channel(51, 'member'))).toMatch(/will be refused/);
    expect(broadcastNotice('@here', channel(51, 'member'))).toMatch(/will be refused/);
    expect(broadcastNotice('@channel', channel(51, 'admin'))).toBe('This will notify 50 people.');
    expect(broadcastNotice('@channel', channel(50, 'member'))).toBe('This will notify 49 people.');
  });
});
