'use client';

import { useTranslations } from 'next-intl';
import { useDraftOf } from '@/lib/client/compose';
import { plainExcerpt } from '../MessageItem';

export function useHasDraft(conversationId: string): boolean {
  return !!useDraftOf(conversationId);
}

/** A sidebar row's second line: "Draft: …" while there is one, else what the row shows otherwise. */
export function DraftLine({ conversationId, fallback }: { conversationId: string; fallback: string }) {
  const draft = useDraftOf(conversationId);
  const t = useTranslations('sidebar');
  if (!draft) return <span className="ellipsis">{fallback}</span>;
  return (
    <span className="ellipsis" data-testid="draft-line">
      <strong className="draft-label">{t('draft')}</strong> {plainExcerpt(draft.body).slice(0, 80)}
    </span>
  );
}
