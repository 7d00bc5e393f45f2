'use client';

import { Avatar } from '@/components/ui/Avatar';
import type { MemberDto, MessageDto } from '@/lib/validation/dto';
import { relativeTime } from './format';

/** Under a thread's root in the timeline: "N replies", the last reply's time, up to three repliers' avatars. */
export function ThreadSummary({ m, members, onOpen }: { m: MessageDto; members: MemberDto[]; onOpen: () => void }) {
  const t = m.thread;
  if (!t || t.replyCount === 0) return null;
  const people = t.participantIds.slice(0, 3).map((id) => members.find((x) => x.id === id) ?? { id, displayName: '?', avatarUrl: null });
  const label = `${t.replyCount} ${t.replyCount === 1 ? 'reply' : 'replies'}`;
  return (
    <button type="button" className="thread-summary" onClick={onOpen} data-testid="thread-summary" aria-label={`${label}${t.unreadCount ? `, ${t.unreadCount} new` : ''}: open the thread`}>
      <span className="thread-avatars" aria-hidden="true">
        {people.map((p) => (
          <Avatar key={p.id} user={p} size="sm" />
        ))}
      </span>
      <strong data-testid="reply-count">{label}</strong>
      {t.unreadCount > 0 && <span className="badge">{t.unreadCount} new</span>}
      {t.lastReplyAt && <span className="row-sub">Last reply {relativeTime(t.lastReplyAt)}</span>}
    </button>
  );
}
