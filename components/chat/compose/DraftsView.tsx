'use client';

import { ArrowLeft, Send, Trash2 } from 'lucide-react';
import { SaveCancel } from '@/components/ui/SaveCancel';
import Link from 'next/link';
import { useCallback, useEffect, useState } from 'react';
import { api } from '@/lib/client/api';
import { useDrafts } from '@/lib/client/compose';
import { conversationTitle } from '@/lib/client/store';
import { AppError } from '@/lib/errors';
import type { ScheduledDto } from '@/lib/validation/compose';
import { useChat } from '../ChatProvider';
import { plainExcerpt } from '../MessageItem';
import { useRealtime } from '../Realtime';
import { formatWhen, toLocalInput } from './SendLater';
import { FormError } from '@/components/ui/FieldError';

/** Every draft (newest first) and every message waiting to be sent later, with send now, edit and cancel. */
export function DraftsView() {
  const me = useChat((s) => s.me);
  const conversations = useChat((s) => s.conversations);
  const drafts = Object.values(useDrafts()).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  const { socket } = useRealtime();
  const [scheduled, setScheduled] = useState<ScheduledDto[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<{ id: string; body: string; at: string } | null>(null);
  const titleOf = (id: string) => {
    const c = conversations?.find((x) => x.id === id);
    return c ? conversationTitle(c, me.id) : 'A conversation';
  };

  const load = useCallback(() => {
    api<{ scheduled: ScheduledDto[] }>('/scheduled').then(
      (r) => setScheduled(r.scheduled),
      () => setError('Could not load scheduled messages'),
    );
  }, []);
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
      setError(e instanceof AppError ? e.message : 'Something went wrong');
    }
  }

  return (
    <>
      <header className="pane-head">
        <a className="icon-btn back-btn" href="/" aria-label="Back to conversations">
          <ArrowLeft size={18} aria-hidden="true" />
        </a>
        <h1 className="grow">Drafts and scheduled</h1>
      </header>
      <div className="search-page">
        <FormError message={error} />
        <section aria-labelledby="drafts-title">
          <h2 id="drafts-title" className="section-title">
            Drafts
          </h2>
          {drafts.length === 0 && <p className="row-sub pad">No drafts.</p>}
          <ul className="list" aria-label="Drafts">
            {drafts.map((d) => (
              <li key={`${d.conversationId}:${d.threadId ?? ''}`}>
                <Link className="row" href={`/c/${d.conversationId}${d.threadId ? `?thread=${d.threadId}` : ''}`}>
                  <span className="row-main">
                    <span className="row-title">
                      <span className="ellipsis">
                        {titleOf(d.conversationId)}
                        {d.threadId ? ' · thread' : ''}
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
            Scheduled
          </h2>
          {scheduled?.length === 0 && <p className="row-sub pad">Nothing scheduled.</p>}
          <ul className="list" aria-label="Scheduled messages">
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
                      Message
                    </label>
                    <textarea id={`sch-body-${s.id}`} value={editing.body} onChange={(e) => setEditing({ ...editing, body: e.target.value })} />
                    <label className="sr-only" htmlFor={`sch-at-${s.id}`}>
                      Send at
                    </label>
                    <input id={`sch-at-${s.id}`} type="datetime-local" step={1} value={editing.at} onChange={(e) => setEditing({ ...editing, at: e.target.value })} />
                    <SaveCancel onCancel={() => setEditing(null)} />
                  </form>
                ) : (
                  <>
                    <span className="row-main">
                      <span className="row-title">
                        <span className="ellipsis">{titleOf(s.conversationId)}</span>
                        <span className="row-time">{s.status === 'failed' ? `Failed: ${s.error ?? ''}` : formatWhen(s.sendAt)}</span>
                      </span>
                      <span className="row-sub ellipsis">{plainExcerpt(s.body)}</span>
                    </span>
                    {s.status === 'pending' && (
                      <span className="row-actions">
                        <button type="button" className="btn btn-ghost btn-sm" onClick={() => setEditing({ id: s.id, body: s.body, at: toLocalInput(new Date(s.sendAt)) })}>
                          Edit
                        </button>
                        <button type="button" className="icon-btn sm" aria-label="Send now" title="Send now" onClick={() => void act(() => api(`/scheduled/${s.id}/send`, { method: 'POST' }))}>
                          <Send size={16} />
                        </button>
                        <button type="button" className="icon-btn sm" aria-label="Cancel scheduled message" title="Cancel" onClick={() => void act(() => api(`/scheduled/${s.id}`, { method: 'DELETE' }))}>
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
