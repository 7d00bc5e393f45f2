'use client';

import { ArrowLeft, Send, Trash2 } from 'lucide-react';
import { SaveCancel } from '@/components/ui/SaveCancel';
import Link from 'next/link';
import { useCallback, useEffect, useState } from 'react';
import { api } from '@/lib/client/api';
import { useDrafts } from '@/lib/client/compose';
import { useConversationTitle } from '../useConversationTitle';
import { AppError } from '@/lib/errors';
import type { ScheduledDto } from '@/lib/validation/compose';
import { useChat } from '../ChatProvider';
import { plainExcerpt } from '../MessageItem';
import { useRealtime } from '../Realtime';
import { toLocalInput } from './SendLaterPanel';
import { useTranslations } from 'next-intl';
import { useFormat } from '@/components/i18n/useFormat';
import { FormError } from '@/components/ui/FieldError';

/** Every draft (newest first) and every message waiting to be sent later, with send now, edit and cancel. */
export function DraftsView() {
  const conversations = useChat((s) => s.conversations);
  const drafts = Object.values(useDrafts()).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  const { socket } = useRealtime();
  const [scheduled, setScheduled] = useState<ScheduledDto[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<{ id: string; body: string; at: string } | null>(null);
  const t = useTranslations('drafts');
  const conversationOf = useConversationTitle();
  const f = useFormat();
  const loadError = t('loadError');
  const titleOf = (id: string) => {
    const c = conversations?.find((x) => x.id === id);
    return c ? conversationOf(c) : t('aConversation');
  };

  const load = useCallback(() => {
    api<{ scheduled: ScheduledDto[] }>('/scheduled').then(
      (r) => setScheduled(r.scheduled),
      () => setError(loadError),
    );
  }, [loadError]);
  useEffect(() => {
    load();
    if (!socket) return;
    socket.on('scheduled:updated', load);
    return () => {
      socket.off('scheduled:updated', load);
    };
  }, [socket, load]);

  async function act(fn: () => Promise<unknown>) {
    setError(null);
    try {
      await fn();
      load();
    } catch (e) {
      setError(e instanceof AppError ? e.message : t('somethingWrong'));
    }
  }

  return (
    <>
      <header className="pane-head">
        <a className="icon-btn back-btn" href="/" aria-label={t('back')}>
          <ArrowLeft size={18} aria-hidden="true" />
        </a>
        <h1 className="grow">{t('title')}</h1>
      </header>
      <div className="search-page">
        <FormError message={error} />
        <section aria-labelledby="drafts-title">
          <h2 id="drafts-title" className="section-title">
            {t('drafts')}
          </h2>
          {drafts.length === 0 && <p className="row-sub pad">{t('noDrafts')}</p>}
          <ul className="list" aria-label={t('drafts')}>
            {drafts.map((d) => (
              <li key={`${d.conversationId}:${d.threadId ?? ''}`}>
                <Link className="row" href={`/c/${d.conversationId}${d.threadId ? `?thread=${d.threadId}` : ''}`}>
                  <span className="row-main">
                    <span className="row-title">
                      <span className="ellipsis">
                        {titleOf(d.conversationId)}
                        {d.threadId ? ` · ${t('thread')}` : ''}
                      </span>
                    </span>
                    <span className="row-sub ellipsis">{plainExcerpt(d.body)}</span>
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="scheduled-title">
          <h2 id="scheduled-title" className="section-title">
            {t('scheduled')}
          </h2>
          {scheduled?.length === 0 && <p className="row-sub pad">{t('noScheduled')}</p>}
          <ul className="list" aria-label={t('scheduledMessages')}>
            {(scheduled ?? []).map((s) => (
              <li key={s.id} className="row scheduled-row" data-testid="scheduled-item">
                {editing?.id === s.id ? (
                  <form
                    className="scheduled-edit"
                    onSubmit={(e) => {
                      e.preventDefault();
                      void act(() => api(`/scheduled/${s.id}`, { method: 'PATCH', body: { body: editing.body, sendAt: new Date(editing.at).toISOString() } })).then(() => setEditing(null));
                    }}
                  >
                    <label className="sr-only" htmlFor={`sch-body-${s.id}`}>
                      {t('message')}
                    </label>
                    <textarea id={`sch-body-${s.id}`} value={editing.body} onChange={(e) => setEditing({ ...editing, body: e.target.value })} />
                    <label className="sr-only" htmlFor={`sch-at-${s.id}`}>
                      {t('sendAt')}
                    </label>
                    <input id={`sch-at-${s.id}`} type="datetime-local" step={1} value={editing.at} onChange={(e) => setEditing({ ...editing, at: e.target.value })} />
                    <SaveCancel onCancel={() => setEditing(null)} />
                  </form>
                ) : (
                  <>
                    <span className="row-main">
                      <span className="row-title">
                        <span className="ellipsis">{titleOf(s.conversationId)}</span>
                        <span className="row-time">{s.status === 'failed' ? t('failed', { error: s.error ?? '' }) : f.when(s.sendAt)}</span>
                      </span>
                      <span className="row-sub ellipsis">{plainExcerpt(s.body)}</span>
                    </span>
                    {s.status === 'pending' && (
                      <span className="row-actions">
                        <button type="button" className="btn btn-ghost btn-sm" onClick={() => setEditing({ id: s.id, body: s.body, at: toLocalInput(new Date(s.sendAt)) })}>
                          {t('edit')}
                        </button>
                        <button type="button" className="icon-btn sm" aria-label={t('sendNow')} title={t('sendNow')} onClick={() => void act(() => api(`/scheduled/${s.id}/send`, { method: 'POST' }))}>
                          <Send size={16} />
                        </button>
                        <button type="button" className="icon-btn sm" aria-label={t('cancelScheduled')} title={t('cancel')} onClick={() => void act(() => api(`/scheduled/${s.id}`, { method: 'DELETE' }))}>
                          <Trash2 size={16} />
                        </button>
                      </span>
                    )}
                  </>
                )}
              </li>
            ))}
          </ul>
        </section>
      </div>
    </>
  );
}
