'use client';

import { useTranslations } from 'next-intl';
import { useFormat } from '@/components/i18n/useFormat';
import { RotateCw, Trash2 } from 'lucide-react';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api } from '@/lib/client/api';
import { AppError } from '@/lib/errors';
import type { OutgoingWebhookDto, WebhookDeliveryDto } from '@/lib/validation/webhooks';
import { BotSelect } from './BotSelect';
import { FormError } from '@/components/ui/FieldError';

type Scope = { kind: 'conversation'; id: string; memberIds: string[] } | { kind: 'bot'; id: string };
interface BotRef {
  id: string;
  username: string;
  displayName: string;
}

function message(e: unknown, fallback: string): string {
  return e instanceof AppError ? (e.issues?.[0]?.message ?? e.message) : fallback;
}

/**
 * Outgoing webhooks of a conversation (owners/admins: message.created, replies as one of your bots in it) or of a
 * bot (its owner: mentions and DMs). Each shows its state and, opened, its last 50 deliveries with redeliver.
 */
export function OutgoingWebhooks({ scope }: { scope: Scope }) {
  const t = useTranslations('outgoingWebhooks');
  const base = scope.kind === 'conversation' ? `/conversations/${scope.id}/outgoing-webhooks` : `/bots/${scope.id}/outgoing-webhooks`;
  const [hooks, setHooks] = useState<OutgoingWebhookDto[] | null>(null);
  const [bots, setBots] = useState<BotRef[]>([]);
  const [url, setUrl] = useState('');
  const [botId, setBotId] = useState('');
  const [trigger, setTrigger] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const memberKey = scope.kind === 'conversation' ? scope.memberIds.join(',') : '';

  const load = useCallback(async () => {
    try {
      setHooks((await api<{ webhooks: OutgoingWebhookDto[] }>(base)).webhooks);
    } catch (e) {
      setError(message(e, t('somethingWrong')));
    }
  }, [base]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    if (scope.kind !== 'conversation') return;
    const members = new Set(memberKey.split(','));
    void api<{ bots: BotRef[] }>('/bots')
      .then((r) => {
        const mine = r.bots.filter((b) => members.has(b.id));
        setBots(mine);
        setBotId((id) => id || mine[0]?.id || '');
      })
      .catch(() => setBots([]));
  }, [scope.kind, memberKey]);

  async function run(fn: () => Promise<void>) {
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(message(e, t('somethingWrong')));
    }
  }

  function add(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      const body = scope.kind === 'conversation' ? { url, botId, triggerWord: trigger.trim() || null } : { url };
      const r = await api<{ webhook: OutgoingWebhookDto; secret: string }>(base, { method: 'POST', body });
      setSecret(r.secret);
      setUrl('');
      setTrigger('');
      await load();
    });
  }

  const prefix = `owh-${scope.id}`;
  return (
    <section aria-labelledby={`${prefix}-title`} data-testid="outgoing-webhooks">
      <h3 className="section-title" id={`${prefix}-title`}>
        {t('title')}
      </h3>
      <FormError message={error} pad />
      {secret && (
        <div className="pad" role="status">
          <p className="webhook-note">{t('secret')}</p>
          <code className="secret" data-testid="webhook-secret">
            {secret}
          </code>
        </div>
      )}
      <ul className="list pad-x" aria-label={t('title')}>
        {hooks?.length === 0 && <li className="row static row-sub">{t('none')}</li>}
        {hooks?.map((h) => <WebhookRow key={h.id} hook={h} onChange={load} onError={setError} />)}
      </ul>
      {scope.kind === 'conversation' && bots.length === 0 ? (
        <p className="pad row-sub">{t('needBot')}</p>
      ) : (
        <form className="pad" onSubmit={add}>
          <div className="field">
            <label htmlFor={`${prefix}-url`}>{t('url')}</label>
            <input id={`${prefix}-url`} type="url" inputMode="url" required placeholder="https://example.com/chattrix" value={url} onChange={(e) => setUrl(e.target.value)} />
          </div>
          {scope.kind === 'conversation' && (
            <div className="inline wrap">
              <BotSelect id={`${prefix}-bot`} label={t('replyAs')} className="field grow" bots={bots} value={botId} onChange={(e) => setBotId(e.target.value)} />
              <div className="field grow">
                <label htmlFor={`${prefix}-trigger`}>{t('trigger')}</label>
                <input id={`${prefix}-trigger`} value={trigger} maxLength={64} placeholder="!deploy" onChange={(e) => setTrigger(e.target.value)} />
              </div>
            </div>
          )}
          <button className="btn" type="submit" disabled={!url.trim() || (scope.kind === 'conversation' && !botId)}>
            {t('add')}
          </button>
        </form>
      )}
    </section>
  );
}

function WebhookRow({ hook: h, onChange, onError }: { hook: OutgoingWebhookDto; onChange: () => Promise<void>; onError: (m: string) => void }) {
  const t = useTranslations('outgoingWebhooks');
  const f = useFormat();
  const [deliveries, setDeliveries] = useState<WebhookDeliveryDto[] | null>(null);
  const [open, setOpen] = useState(false);

  const loadDeliveries = useCallback(async () => {
    setDeliveries((await api<{ deliveries: WebhookDeliveryDto[] }>(`/outgoing-webhooks/${h.id}/deliveries`)).deliveries);
  }, [h.id]);

  async function act(fn: () => Promise<unknown>) {
    try {
      await fn();
      await onChange();
      if (open) await loadDeliveries();
    } catch (e) {
      onError(message(e, t('somethingWrong')));
    }
  }

  return (
    <li className="webhook-row">
      <div className="row static">
        <span className="row-main">
          <span className="row-title webhook-url">{h.url}</span>
          <span className="row-sub">
            {h.events.join(', ')}
            {h.triggerWord ? ` · ${t('startsWith', { word: h.triggerWord })}` : ''}
            {h.enabled ? '' : ` · ${h.consecutiveFailures ? t('disabledAfter', { count: h.consecutiveFailures }) : t('disabled')}`}
          </span>
        </span>
        <label className="switch">
          <input
            type="checkbox"
            aria-label={t('enabled', { url: h.url })}
            checked={h.enabled}
            onChange={(e) => void act(() => api(`/outgoing-webhooks/${h.id}`, { method: 'PATCH', body: { enabled: e.target.checked } }))}
          />
          <span aria-hidden="true">{t('on')}</span>
        </label>
        <button
          type="button"
          className="icon-btn"
          aria-label={t('delete', { url: h.url })}
          onClick={() => {
            if (window.confirm(t('confirmDelete', { url: h.url }))) void act(() => api(`/outgoing-webhooks/${h.id}`, { method: 'DELETE' }));
          }}
        >
          <Trash2 size={16} aria-hidden="true" />
        </button>
      </div>
      <details
        onToggle={(e) => {
          const isOpen = (e.currentTarget as HTMLDetailsElement).open;
          setOpen(isOpen);
          if (isOpen) void loadDeliveries().catch((err) => onError(message(err, t('somethingWrong'))));
        }}
      >
        <summary>{t('recent')}</summary>
        {deliveries && deliveries.length === 0 && <p className="row-sub">{t('noDeliveries')}</p>}
        {deliveries && deliveries.length > 0 && (
          <div className="table-scroll">
            <table className="deliveries">
              <thead>
                <tr>
                  <th scope="col">{t('when')}</th>
                  <th scope="col">{t('event')}</th>
                  <th scope="col">{t('status')}</th>
                  <th scope="col">{t('attempts')}</th>
                  <th scope="col">{t('time')}</th>
                  <th scope="col">
                    <span className="sr-only">{t('actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {deliveries.map((d) => (
                  <tr key={d.id}>
                    <td>{f.dateTime(d.createdAt, { dateStyle: 'short', timeStyle: 'short' })}</td>
                    <td>{d.eventType}</td>
                    <td title={d.error ?? undefined}>
                      {d.status}
                      {d.statusCode ? ` (${d.statusCode})` : d.error ? ` (${d.error.split(':')[0]})` : ''}
                    </td>
                    <td>{d.attempts}</td>
                    <td>{d.durationMs != null ? `${d.durationMs} ms` : '–'}</td>
                    <td>
                      <button
                        type="button"
                        className="icon-btn"
                        aria-label={t('redeliver', { event: d.eventType, when: f.dateTime(d.createdAt) })}
                        onClick={() => void act(() => api(`/outgoing-webhooks/${h.id}/deliveries/${d.id}/redeliver`, { method: 'POST' }))}
                      >
                        <RotateCw size={16} aria-hidden="true" />
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </details>
    </li>
  );
}
