'use client';

import { useTranslations } from 'next-intl';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { SaveCancel } from '@/components/ui/SaveCancel';
import { api } from '@/lib/client/api';
import { AppError } from '@/lib/errors';
import type { BotDto } from '@/lib/validation/bots';
import type { WebhookDto } from '@/lib/validation/webhooks';
import { BotSelect } from './BotSelect';
import { FormError } from '@/components/ui/FieldError';

/**
 * A conversation's incoming webhooks (owners and admins): make one (a name, an optional icon URL, the bot it
 * posts as), see its URL once, rename it, regenerate it (the old URL stops working) or delete it.
 */
export function WebhooksSettings({ conversationId }: { conversationId: string }) {
  const t = useTranslations('incomingWebhooks');
  const [hooks, setHooks] = useState<WebhookDto[] | null>(null);
  const [bots, setBots] = useState<BotDto[]>([]);
  const [fresh, setFresh] = useState<{ name: string; url: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** The hook being renamed, and the name typed so far. */
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const load = useCallback(async () => setHooks((await api<{ webhooks: WebhookDto[] }>(`/conversations/${conversationId}/webhooks`)).webhooks), [conversationId]);
  useEffect(() => {
    void load().catch(() => setHooks([]));
    void api<{ bots: BotDto[] }>('/bots')
      .then((r) => setBots(r.bots.filter((b) => !b.disabled)))
      .catch(() => setBots([]));
  }, [load]);

  async function run(fn: () => Promise<void>) {
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e instanceof AppError ? (e.issues?.[0]?.message ?? e.message) : t('somethingWrong'));
    }
  }

  function create(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const iconUrl = String(f.get('iconUrl') ?? '').trim();
    void run(async () => {
      const r = await api<{ webhook: WebhookDto }>(`/conversations/${conversationId}/webhooks`, {
        method: 'POST',
        body: { name: f.get('name'), botId: f.get('botId'), ...(iconUrl ? { iconUrl } : {}) },
      });
      setFresh({ name: r.webhook.name, url: r.webhook.url! });
      form.reset();
      await load();
    });
  }

  return (
    <section className="pad" aria-labelledby={`hooks-${conversationId}`}>
      <h3 className="section-title" id={`hooks-${conversationId}`}>
        {t('title')}
      </h3>
      <FormError message={error} />
      {bots.length === 0 ? (
        <p className="row-sub">
          {t.rich('needBot', { link: (chunks) => <a href="/settings#bots-title">{chunks}</a> })}
        </p>
      ) : (
        <form onSubmit={create} aria-label={t('createLabel')}>
          <div className="field">
            <label htmlFor={`hook-name-${conversationId}`}>{t('name')}</label>
            <input id={`hook-name-${conversationId}`} name="name" required maxLength={80} autoComplete="off" />
          </div>
          <BotSelect id={`hook-bot-${conversationId}`} label={t('postsAs')} name="botId" bots={bots} />
          <div className="field">
            <label htmlFor={`hook-icon-${conversationId}`}>{t('icon')}</label>
            <input id={`hook-icon-${conversationId}`} name="iconUrl" type="url" maxLength={500} autoComplete="off" />
          </div>
          <button className="btn" type="submit">
            {t('create')}
          </button>
        </form>
      )}
      {fresh && (
        <div className="token-once" role="status">
          {t('urlOnce', { name: fresh.name })} <code data-testid="webhook-url">{fresh.url}</code>
        </div>
      )}
      <ul className="list" aria-label={t('title')}>
        {hooks?.map((h) => (
          <li key={h.id} className="row static hook-row">
            {renaming?.id === h.id ? (
              <form
                className="row-main inline wrap"
                aria-label={t('rename', { name: h.name })}
                onSubmit={(e) => {
                  e.preventDefault();
                  void run(async () => {
                    await api(`/conversations/${conversationId}/webhooks/${h.id}`, { method: 'PATCH', body: { name: renaming.name } });
                    setRenaming(null);
                    await load();
                  });
                }}
              >
                <label className="sr-only" htmlFor={`hook-rename-${h.id}`}>
                  {t('newName', { name: h.name })}
                </label>
                <input
                  id={`hook-rename-${h.id}`}
                  value={renaming.name}
                  required
                  maxLength={80}
                  autoFocus
                  onChange={(e) => setRenaming({ id: h.id, name: e.target.value })}
                  onKeyDown={(e) => e.key === 'Escape' && setRenaming(null)}
                />
                <SaveCancel onCancel={() => setRenaming(null)} />
              </form>
            ) : (
              <span className="row-main">
                <span className="row-title">{h.name}</span>
                <span className="row-sub">{t('postsAsName', { name: h.bot?.displayName ?? t('deletedBot') })}</span>
              </span>
            )}
            {/* While renaming, the form has the row to itself (the panel is narrow). */}
            {renaming?.id !== h.id && (
            <span className="row-flex">
              <button type="button" className="btn btn-ghost btn-sm" onClick={() => setRenaming({ id: h.id, name: h.name })}>
                {t('rename', { name: h.name })}
              </button>
              <button
                type="button"
                className="btn btn-ghost btn-sm"
                onClick={() =>
                  void run(async () => {
                    if (!window.confirm(t('confirmRegenerate', { name: h.name }))) return;
                    const r = await api<{ webhook: WebhookDto }>(`/conversations/${conversationId}/webhooks/${h.id}/regenerate`, { method: 'POST' });
                    setFresh({ name: r.webhook.name, url: r.webhook.url! });
                  })
                }
              >
                {t('regenerate', { name: h.name })}
              </button>
              <button
                type="button"
                className="btn btn-danger btn-sm"
                onClick={() =>
                  void run(async () => {
                    if (!window.confirm(t('confirmDelete', { name: h.name }))) return;
                    await api(`/conversations/${conversationId}/webhooks/${h.id}`, { method: 'DELETE' });
                    await load();
                  })
                }
              >
                {t('delete', { name: h.name })}
              </button>
            </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
