'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useModalDialog } from '@/components/ui/useModalDialog';
import { api } from '@/lib/client/api';
import { AppError } from '@/lib/errors';
import type { ConversationDto } from '@/lib/validation/dto';
import { useChatActions } from './ChatProvider';
import { FormError } from '@/components/ui/FieldError';

/** "Create channel": name (unique ignoring case), topic, description, public or private. */
export function CreateChannelDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const ref = useModalDialog(open, onClose);
  const router = useRouter();
  const { upsertConversation } = useChatActions();
  const [title, setTitle] = useState('');
  const [topic, setTopic] = useState('');
  const [description, setDescription] = useState('');
  const [priv, setPriv] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const t = useTranslations('createChannel');

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { conversation } = await api<{ conversation: ConversationDto }>('/conversations', {
        method: 'POST',
        body: { kind: 'channel', title, ...(topic.trim() ? { topic } : {}), ...(description.trim() ? { description } : {}), private: priv },
      });
      upsertConversation(conversation);
      setTitle('');
      setTopic('');
      setDescription('');
      setPriv(false);
      onClose();
      router.push(`/c/${conversation.id}`);
    } catch (err) {
      setError(err instanceof AppError ? (err.code === 'conflict' ? err.message : (err.issues?.[0]?.message ?? err.message)) : t('failed'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <dialog ref={ref} className="dialog" aria-labelledby="new-channel-title">
      <form onSubmit={submit}>
        <h2 id="new-channel-title">{t('title')}</h2>
        <div className="field">
          <label htmlFor="new-channel-name">{t('name')}</label>
          <input
            id="new-channel-name"
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            maxLength={81}
            required
            placeholder={t('namePlaceholder')}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'new-channel-error' : undefined}
          />
        </div>
        <div className="field">
          <label htmlFor="new-channel-topic">{t('topic')}</label>
          <input id="new-channel-topic" value={topic} onChange={(e) => setTopic(e.target.value)} maxLength={250} />
        </div>
        <div className="field">
          <label htmlFor="new-channel-description">{t('description')}</label>
          <textarea id="new-channel-description" value={description} onChange={(e) => setDescription(e.target.value)} maxLength={1000} rows={3} />
        </div>
        <label className="switch">
          <input type="checkbox" checked={priv} onChange={(e) => setPriv(e.target.checked)} /> {t('private')}
        </label>
        <FormError message={error} id="new-channel-error" />
        <div className="dialog-actions">
          <button type="button" className="btn btn-ghost" onClick={onClose}>
            {t('cancel')}
          </button>
          <button type="submit" className="btn" disabled={busy || title.trim().length === 0}>
            {busy ? t('creating') : t('title')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
