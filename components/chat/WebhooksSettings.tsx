'use client';

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
      setError(e instanceof AppError ? (e.issues?.[0]?.message ?? e.message) : 'Something went wrong');
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
        Incoming webhooks
      </h3>
      <FormError message={error} />
      {bots.length === 0 ? (
        <p className="row-sub">
          A webhook posts as one of your bots: <a href="/settings#bots-title">create a bot in Settings</a> first.
        </p>
      ) : (
        <form onSubmit={create} aria-label="Create an incoming webhook">
          <div className="field">
            <label htmlFor={`hook-name-${conversationId}`}>Webhook name</label>
            <input id={`hook-name-${conversationId}`} name="name" required maxLength={80} autoComplete="off" />
          </div>
          <BotSelect id={`hook-bot-${conversationId}`} label="Posts as" name="botId" bots={bots} />
          <div className="field">
            <label htmlFor={`hook-icon-${conversationId}`}>Icon URL (optional)</label>
            <input id={`hook-icon-${conversationId}`} name="iconUrl" type="url" maxLength={500} autoComplete="off" />
          </div>
          <button className="btn" type="submit">
            Create webhook
          </button>
        </form>
      )}
      {fresh && (
        <div className="token-once" role="status">
          URL of “{fresh.name}” (shown once; the secret is in it): <code data-testid="webhook-url">{fresh.url}</code>
        </div>
      )}
      <ul className="list" aria-label="Incoming webhooks">
        {hooks?.map((h) => (
          <li key={h.id} className="row static hook-row">
            {renaming?.id === h.id ? (
              <form
                className="row-main inline wrap"
                aria-label={`Rename ${h.name}`}
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
                  New name of {h.name}
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
                <span className="row-sub">posts as {h.bot?.displayName ?? 'a deleted bot'}</span>
              </span>
            )}
            {/* While renaming, the form has the row to itself (the panel is narrow). */}
            {renaming?.id !== h.id && (
            <span className="row-flex">
              <button type="button" className="btn btn-ghost btn-sm" onClick={() => setRenaming({ id: h.id, name: h.name })}>
                Rename {h.name}
              </button>
              <button
                type="button"
                className="btn btn-ghost btn-sm"
                onClick={() =>
                  void run(async () => {
                    if (!window.confirm(`Regenerate the URL of “${h.name}”? The old URL stops working.`)) return;
                    const r = await api<{ webhook: WebhookDto }>(`/conversations/${conversationId}/webhooks/${h.id}/regenerate`, { method: 'POST' });
                    setFresh({ name: r.webhook.name, url: r.webhook.url! });
                  })
                }
              >
                Regenerate URL of {h.name}
              </button>
              <button
                type="button"
                className="btn btn-danger btn-sm"
                onClick={() =>
                  void run(async () => {
                    if (!window.confirm(`Delete the webhook “${h.name}”?`)) return;
                    await api(`/conversations/${conversationId}/webhooks/${h.id}`, { method: 'DELETE' });
                    await load();
                  })
                }
              >
                Delete {h.name}
              </button>
            </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
