'use client';

import { useTranslations } from 'next-intl';
import { useFormat } from '@/components/i18n/useFormat';
import { useCallback, useEffect, useState } from 'react';
import { api } from '@/lib/client/api';
import { FormError } from '@/components/ui/FieldError';

interface AuditEvent {
  id: string;
  type: string;
  user: { id: string; username: string; displayName: string } | null;
  ip: string | null;
  userAgent: string | null;
  detail: Record<string, unknown>;
  createdAt: string;
}

/** Each filter (an event type or a prefix) and the key of its label (`admin.audit.filters.*`). */
const FILTERS = [
  ['', 'all'],
  ['admin_*', 'admin'],
  ['sign_in*', 'signIns'],
  ['sign_in_failed', 'failed'],
  ['session_revoked', 'sessions'],
  ['token_*', 'tokens'],
  ['password_*', 'passwords'],
  ['two_factor_*', 'twoFactor'],
] as const;

const words = (type: string) => type.replace(/_/g, ' ');

/** The audit log: security and admin events, newest first, by type; "Load more" pages back (REST: /admin/audit). */
export function AuditSection() {
  const t = useTranslations('admin.audit');
  const f = useFormat();
  const [type, setType] = useState('');
  const [events, setEvents] = useState<AuditEvent[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (after: string | null) => {
      setLoading(true);
      try {
        const params = new URLSearchParams({ limit: '25', ...(type ? { type } : {}), ...(after ? { cursor: after } : {}) });
        const data = await api<{ events: AuditEvent[]; nextCursor: string | null }>(`/admin/audit?${params}`);
        setEvents((prev) => (after ? [...prev, ...data.events] : data.events));
        setCursor(data.nextCursor);
        setError(null);
      } catch (e) {
        setError((e as Error).message);
      } finally {
        setLoading(false);
      }
    },
    [type],
  );
  useEffect(() => {
    void load(null);
  }, [load]);

  return (
    <section className="card" aria-labelledby="audit">
      <h2 id="audit">{t('title')}</h2>
      <label htmlFor="audit-type">{t('show')}</label>{' '}
      <select id="audit-type" value={type} onChange={(e) => setType(e.target.value)}>
        {FILTERS.map(([value, key]) => (
          <option key={value} value={value}>
            {t(`filters.${key}`)}
          </option>
        ))}
      </select>
      <FormError message={error} />
      <ul className="list" aria-label={t('events')} aria-busy={loading || undefined}>
        {events.map((e) => (
          <li key={e.id} className="row" data-testid="audit-event">
            <div className="row-main">
              <span className="row-title">{words(e.type)}</span>
              <span className="row-sub">
                {f.dateTime(e.createdAt)}
                {e.user ? ` · ${e.user.displayName} (@${e.user.username})` : ''}
                {typeof e.detail.byUsername === 'string' ? ` · ${t('by', { username: e.detail.byUsername })}` : ''}
                {e.ip ? ` · ${e.ip}` : ''}
              </span>
            </div>
          </li>
        ))}
      </ul>
      {!loading && events.length === 0 && <p>{t('none')}</p>}
      {cursor && (
        <button type="button" className="btn btn-sm btn-ghost" disabled={loading} onClick={() => void load(cursor)}>
          {loading ? t('loading') : t('more')}
        </button>
      )}
    </section>
  );
}
