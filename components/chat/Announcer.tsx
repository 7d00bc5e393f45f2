'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useRef, useState } from 'react';
import type { MessageDto } from '@/lib/validation/dto';
import { plainExcerpt } from './MessageItem';

/**
 * Screen readers hear new messages of the open conversation, politely, one line each ("Ben: see you at 8"). Only
 * messages that arrive while it is open (not the history loaded on opening or scrolling up), and not your own.
 * The history itself is a log with aria-live off, so nothing is read twice.
 */
export function NewMessageAnnouncer({ messages, meId }: { messages: MessageDto[] | undefined; meId: string }) {
  const [text, setText] = useState('');
  const newestSeq = useRef<number | null>(null);
  const t = useTranslations('announcer');
  useEffect(() => {
    if (!messages?.length) return;
    const newest = messages[messages.length - 1]!;
    const before = newestSeq.current;
    newestSeq.current = Math.max(before ?? 0, newest.seq);
    if (before === null) return; // the first page: history, not news
    const fresh = messages.filter((m) => m.seq > before && m.sender?.id !== meId && m.kind === 'user' && !m.deletedAt);
    if (fresh.length === 0) return;
    const last = fresh[fresh.length - 1]!;
    const body = last.body ? plainExcerpt(last.body) : last.attachments.length ? t('attachment') : '';
    setText(`${fresh.length > 1 ? `${t('newMessages', { count: fresh.length })} ` : ''}${last.sender?.displayName ?? t('someone')}: ${body}`);
  }, [messages, meId, t]);
  return (
    <div className="sr-only" aria-live="polite" aria-atomic="true" data-testid="announcer">
      {text}
    </div>
  );
}
