'use client';

import { useTranslations } from 'next-intl';
import { WebhooksSettings } from './WebhooksSettings';
import { X } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { api } from '@/lib/client/api';
import { AppError } from '@/lib/errors';
import type { ConversationDto } from '@/lib/validation/dto';
import { useChatActions } from './ChatProvider';
import { OutgoingWebhooks } from './OutgoingWebhooks';
import { MemberList } from './MemberList';
import { NotifySelect } from './NotifySelect';
import { FormError } from '@/components/ui/FieldError';

export function MembersPanel({ conversation, meId, onClose }: { conversation: ConversationDto; meId: string; onClose: () => void }) {
  const router = useRouter();
  const { upsertConversation } = useChatActions();
  const [error, setError] = useState<string | null>(null);
  const [title, setTitle] = useState(conversation.title ?? '');
  const t = useTranslations('membersPanel');
  const manage = conversation.kind === 'group' && (conversation.myRole === 'owner' || conversation.myRole === 'admin');

  async function run(fn: () => Promise<void>) {
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e instanceof AppError ? e.message : t('somethingWrong'));
    }
  }

  return (
    <aside className="panel" aria-labelledby="members-title">
      <div className="panel-head">
        <h2 id="members-title">{conversation.kind === 'group' ? t('group') : t('details')}</h2>
        <button type="button" className="icon-btn" aria-label={t('close')} onClick={onClose}>
          <X size={18} />
        </button>
      </div>
      <FormError message={error} pad />
      {manage && (
        <form
          className="pad"
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              const r = await api<{ conversation: ConversationDto }>(`/conversations/${conversation.id}`, { method: 'PATCH', body: { title } });
              upsertConversation(r.conversation);
            });
          }}
        >
          <div className="field">
            <label htmlFor="rename">{t('name')}</label>
            <div className="inline">
              <input id="rename" value={title} maxLength={80} onChange={(e) => setTitle(e.target.value)} />
              <button className="btn btn-ghost" type="submit" disabled={!title.trim() || title.trim() === conversation.title}>
                {t('rename')}
              </button>
            </div>
          </div>
        </form>
      )}
      <div className="pad">
        <NotifySelect
          value={conversation.notify}
          onChange={(notify) =>
            void run(async () => {
              const r = await api<{ conversation: ConversationDto }>(`/conversations/${conversation.id}`, { method: 'PATCH', body: { notify } });
              upsertConversation(r.conversation);
            })
          }
        />
      </div>
      <MemberList conversation={conversation} meId={meId} manage={manage} run={run} />
      {manage && conversation.kind === 'group' && <WebhooksSettings conversationId={conversation.id} />}
      {manage && <OutgoingWebhooks scope={{ kind: 'conversation', id: conversation.id, memberIds: conversation.members.map((m) => m.id) }} />}
      {conversation.kind === 'group' && (
        <div className="pad">
          <button
            type="button"
            className="btn btn-danger"
            onClick={() =>
              void run(async () => {
                if (!window.confirm(t('confirmLeave'))) return;
                await api(`/conversations/${conversation.id}/members/${meId}`, { method: 'DELETE' });
                router.push('/');
              })
            }
          >
            {t('leave')}
          </button>
        </div>
      )}
    </aside>
  );
}
