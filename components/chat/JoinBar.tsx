'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { api } from '@/lib/client/api';
import { AppError } from '@/lib/errors';
import type { ConversationDto } from '@/lib/validation/dto';
import { useChatActions } from './ChatProvider';

/** In place of the composer: a public channel read before joining, or an archived channel. */
export function JoinBar({ conversation, onJoined }: { conversation: ConversationDto; onJoined: (c: ConversationDto) => void }) {
  const { upsertConversation } = useChatActions();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const t = useTranslations('joinBar');
  if (conversation.archived) {
    return (
      <div className="join-bar" role="status" data-testid="archived-bar">
        <span>{t('archived')}</span>
      </div>
    );
  }
  return (
    <div className="join-bar" data-testid="join-bar">
      <span>
        {t.rich('reading', { name: conversation.title ?? '', strong: (chunks) => <strong>{chunks}</strong> })}
      </span>
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
      <button
        type="button"
        className="btn"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            const { conversation: c } = await api<{ conversation: ConversationDto }>(`/conversations/${conversation.id}/join`, { method: 'POST' });
            upsertConversation(c);
            onJoined(c);
          } catch (e) {
            setError(e instanceof AppError ? e.message : t('failed'));
          } finally {
            setBusy(false);
          }
        }}
      >
        {busy ? t('joining') : t('join')}
      </button>
    </div>
  );
}
