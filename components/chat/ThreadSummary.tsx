'use client';

import { Avatar } from '@/components/ui/Avatar';
import type { MemberDto, MessageDto } from '@/lib/validation/dto';
import { useTranslations } from 'next-intl';
import { useFormat } from '@/components/i18n/useFormat';

/** Under a thread's root in the timeline: "N replies", the last reply's time, up to three repliers' avatars. */
export function ThreadSummary({ m, members, onOpen }: { m: MessageDto; members: MemberDto[]; onOpen: () => void }) {
  const w = useTranslations('threadSummary');
  const f = useFormat();
  const t = m.thread;
  if (!t || t.replyCount === 0) return null;
  const people = t.participantIds.slice(0, 3).map((id) => members.find((x) => x.id === id) ?? { id, displayName: '?', avatarUrl: null });
  const label = w('replies', { count: t.replyCount });
  return (
    <button type="button" className="thread-summary" onClick={onOpen} data-testid="thread-summary" aria-label={w('open', { label, unread: t.unreadCount })}>
      <span className="thread-avatars" aria-hidden="true">
        {people.map((p) => (
          <Avatar key={p.id} user={p} size="sm" />
        ))}
      </span>
      <strong data-testid="reply-count">{label}</strong>
      {t.unreadCount > 0 && <span className="badge">{w('new', { count: t.unreadCount })}</span>}
      {t.lastReplyAt && <span className="row-sub">{w('lastReply', { when: f.relativeTime(t.lastReplyAt) })}</span>}
    </button>
  );
}
