'use client';

import { BotMark } from '@/components/ui/BotMark';
import { StatusMarks } from './StatusMarks';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { useModalDialog } from '@/components/ui/useModalDialog';
import { Avatar } from '@/components/ui/Avatar';
import { api } from '@/lib/client/api';
import { AppError } from '@/lib/errors';
import type { ConversationDto } from '@/lib/validation/dto';
import type { PublicUser } from '@/lib/validation/users';
import { useChatActions } from './ChatProvider';
import { useTranslations } from 'next-intl';
import { useFormat } from '@/components/i18n/useFormat';
import { FormError } from '@/components/ui/FieldError';

/** A person's card: who they are, whether they are around, and what you can do. */
export function ProfileCard({ userId, meId, onClose }: { userId: string; meId: string; onClose: () => void }) {
  const ref = useModalDialog(true, onClose);
  const router = useRouter();
  const { upsertConversation } = useChatActions();
  const [user, setUser] = useState<PublicUser | null>(null);
  const [blocked, setBlocked] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const t = useTranslations('profile');
  const tp = useTranslations('presence');
  const f = useFormat();
  const loadError = t('loadError');

  useEffect(() => {
    api<{ user: PublicUser }>(`/users/${userId}`)
      .then((r) => setUser(r.user))
      .catch(() => setError(loadError));
    api<{ blocks: { user: { id: string } }[] }>('/me/blocks')
      .then((r) => setBlocked(r.blocks.some((b) => b.user.id === userId)))
      .catch(() => {});
  }, [userId, loadError]);

  async function run(fn: () => Promise<void>) {
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e instanceof AppError ? e.message : t('somethingWrong'));
    }
  }

  return (
    <dialog ref={ref} className="dialog profile-card" aria-label={user ? t('of', { name: user.displayName }) : t('title')}>
      {user ? (
        <>
          <div className="profile-top">
            <span className="avatar-lg">
              <Avatar user={user} online={user.online} />
            </span>
            <div>
              <h2>
                {user.displayName} <StatusMarks user={user} />
                <BotMark bot={user.bot} />
              </h2>
              {user.status && (
                <div className="row-sub" data-testid="profile-status">
                  {[user.status.emoji, user.status.text].filter(Boolean).join(' ')}
                </div>
              )}
              <div className="row-sub">@{user.username}</div>
              <div className="row-sub">{user.online ? tp('online') : user.lastSeenAt ? tp('lastSeen', { when: f.relativeTime(user.lastSeenAt) }) : tp('offline')}</div>
            </div>
          </div>
          {user.bio && <p className="bio">{user.bio}</p>}
          <FormError message={error} />
          <div className="dialog-actions">
            {user.id !== meId && (
              <>
                <button
                  type="button"
                  className="btn btn-ghost"
                  onClick={() =>
                    void run(async () => {
                      if (blocked) await api(`/users/${user.id}/block`, { method: 'DELETE' });
                      else if (window.confirm(t('confirmBlock', { name: user.displayName }))) await api(`/users/${user.id}/block`, { method: 'PUT' });
                      else return;
                      setBlocked(!blocked);
                    })
                  }
                >
                  {blocked ? t('unblock') : t('block')}
                </button>
                <button
                  type="button"
                  className="btn"
                  disabled={blocked}
                  onClick={() =>
                    void run(async () => {
                      const { conversation } = await api<{ conversation: ConversationDto }>('/conversations', { method: 'POST', body: { kind: 'direct', userId: user.id } });
                      upsertConversation(conversation);
                      ref.current?.close();
                      router.push(`/c/${conversation.id}`);
                    })
                  }
                >
                  {t('message')}
                </button>
              </>
            )}
            <button type="button" className="btn btn-ghost" onClick={() => ref.current?.close()}>
              {t('close')}
            </button>
          </div>
        </>
      ) : (
        <p role="status">{error ?? t('loading')}</p>
      )}
    </dialog>
  );
}
