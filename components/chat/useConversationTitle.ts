'use client';

import { useTranslations } from 'next-intl';
import { useMemo } from 'react';
import { conversationTitle } from '@/lib/client/store';
import type { ConversationDto } from '@/lib/validation/dto';
import { useChat } from './ChatProvider';

/** A conversation's name as the reader sees it: `conversationTitle` with the untitled words in their language. */
export function useConversationTitle(): (c: ConversationDto) => string {
  const t = useTranslations('sidebar');
  const meId = useChat((s) => s.me.id);
  return useMemo(() => {
    const untitled = { direct: t('untitledDirect'), group: t('untitledGroup'), channel: t('untitledChannel') };
    return (c: ConversationDto) => conversationTitle(c, meId, untitled);
  }, [t, meId]);
}
