'use client';

import { Clock } from 'lucide-react';
import { useTranslations } from 'next-intl';
import type { ScheduledDto } from '@/lib/validation/compose';
import { SendLaterPanel } from '../lazy';
import { ComposerPopover } from './ComposerPopover';

/** "Send later": presets and a date-time picker in the person's time zone; the server sends it at that time. */
export function SendLater(p: { conversationId: string; threadId?: string; body: string; disabled: boolean; onScheduled: (s: ScheduledDto) => void }) {
  const t = useTranslations('sendLater');
  return (
    <ComposerPopover label={t('label')} icon={<Clock size={20} />} wrapClass="send-later" popClass="send-later-pop" disabled={p.disabled}>
      {(close) => <SendLaterPanel conversationId={p.conversationId} threadId={p.threadId} body={p.body} close={close} onScheduled={p.onScheduled} />}
    </ComposerPopover>
  );
}
