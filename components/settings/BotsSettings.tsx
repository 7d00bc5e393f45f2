'use client';

import { useTranslations } from 'next-intl';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { Avatar } from '@/components/ui/Avatar';
import { BotMark } from '@/components/ui/BotMark';
import { api } from '@/lib/client/api';
import { uploadMultipart } from '@/lib/client/upload';
import type { BotDto } from '@/lib/validation/bots';
import { OutgoingWebhooks } from '@/components/chat/OutgoingWebhooks';
import { FormError } from '@/components/ui/FieldError';

/** Settings → Bots: create bots, give them a photo, see a new token once, make more tokens, disable and delete (issue 14). */
export function BotsSettings() {
  const w = useTranslations('bots');
  const [bots, setBots] = useState<BotDto[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fresh, setFresh] = useState<{ bot: string; token: string } | null>(null);
  const [busy, setBusy] = useState(false);
  /** The file chooser for a bot's photo, and whose photo it is for. */
  const photoInput = useRef<HTMLInputElement>(null);
  const photoFor = useRef<BotDto | null>(null);
  const load = useCallback(async () => setBots((await api<{ bots: BotDto[] }>('/bots')).bots), []);
  useEffect(() => {
    void load().catch(() => setBots([]));
  }, [load]);

  const run = async (fn: () => Promise<void>) => {
    setError(null);
    setBusy(true);
    try {
      await fn();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const create = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    void run(async () => {
      const description = String(f.get('description') ?? '').trim();
      const res = await api<{ bot: BotDto; token: { token: string } }>('/bots', {
        method: 'POST',
        body: { username: f.get('username'), displayName: f.get('displayName'), ...(description ? { description } : {}) },
      });
      setFresh({ bot: res.bot.username, token: res.token.token });
      form.reset();
      await load();
    });
  };

  return (
    <section className="card" aria-labelledby="bots-title">
      <h2 id="bots-title">{w('title')}</h2>
      <p className="row-sub">
        {w('intro')}
      </p>
      <form onSubmit={create} aria-label={w('createLabel')}>
        <div className="inline wrap">
          <div className="field grow">
            <label htmlFor="bot-username">{w('username')}</label>
            <input id="bot-username" name="username" required minLength={3} maxLength={32} pattern="[A-Za-z0-9_.]+" autoComplete="off" />
          </div>
          <div className="field grow">
            <label htmlFor="bot-display">{w('displayName')}</label>
            <input id="bot-display" name="displayName" required maxLength={50} autoComplete="off" />
          </div>
        </div>
        <div className="field">
          <label htmlFor="bot-description">{w('description')}</label>
          <input id="bot-description" name="description" maxLength={300} autoComplete="off" />
        </div>
        <FormError message={error} />
        <button className="btn" type="submit" disabled={busy}>
          {w('create')}
        </button>
      </form>
      {fresh && (
        <div className="token-once" role="status">
          {w('tokenFor', { bot: fresh.bot })} <code data-testid="bot-token">{fresh.token}</code>
        </div>
      )}
      <input
        ref={photoInput}
        type="file"
        accept="image/jpeg,image/png,image/gif,image/webp"
        hidden
        data-testid="bot-photo-input"
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          const bot = photoFor.current;
          e.currentTarget.value = '';
          if (!file || !bot) return;
          void run(async () => {
            await uploadMultipart<BotDto>({ path: `/api/v1/bots/${bot.id}/avatar`, method: 'PUT', file, key: 'bot' }).promise;
            await load();
          });
        }}
      />
      <ul className="list" aria-label={w('yours')}>
        {bots?.map((b) => (
          <li key={b.id} className="row static">
            <Avatar user={b} size="sm" />
            <span className="row-main">
              <span className="row-title">
                {b.displayName}
                <BotMark bot />
                <span className="muted-mark"> @{b.username}</span>
                {b.disabled && <span className="badge muted">{w('disabled')}</span>}
              </span>
              {b.description && <span className="row-sub">{b.description}</span>}
            </span>
            <span className="row-flex">
              <button
                type="button"
                className="btn btn-ghost btn-sm"
                disabled={busy}
                onClick={() => {
                  photoFor.current = b;
                  photoInput.current?.click();
                }}
              >
                {w('photoFor', { name: b.username })}
              </button>
              <button
                type="button"
                className="btn btn-ghost btn-sm"
                disabled={busy}
                onClick={() =>
                  void run(async () => {
                    const t = await api<{ token: string }>(`/bots/${b.id}/tokens`, { method: 'POST', body: { name: 'settings', scopes: ['read', 'write'] } });
                    setFresh({ bot: b.username, token: t.token });
                  })
                }
              >
                {w('newToken', { name: b.username })}
              </button>
              <button
                type="button"
                className="btn btn-ghost btn-sm"
                disabled={busy}
                onClick={() =>
                  void run(async () => {
                    await api(`/bots/${b.id}`, { method: 'PATCH', body: { disabled: !b.disabled } });
                    await load();
                  })
                }
              >
                {b.disabled ? w('enable', { name: b.username }) : w('disable', { name: b.username })}
              </button>
              <button
                type="button"
                className="btn btn-danger btn-sm"
                disabled={busy}
                onClick={() => {
                  if (!window.confirm(w('confirmDelete', { name: b.username }))) return;
                  void run(async () => {
                    await api(`/bots/${b.id}`, { method: 'DELETE' });
                    await load();
                  });
                }}
              >
                {w('delete', { name: b.username })}
              </button>
            </span>
            <details className="bot-webhooks">
              <summary>Outgoing webhooks of @{b.username}</summary>
              <OutgoingWebhooks scope={{ kind: 'bot', id: b.id }} />
            </details>
          </li>
        ))}
      </ul>
      {bots?.length === 0 && <p className="row-sub">{w('none')}</p>}
    </section>
  );
}
