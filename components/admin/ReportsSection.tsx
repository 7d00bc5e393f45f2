'use client';

import { useTranslations } from 'next-intl';
import { useFormat } from '@/components/i18n/useFormat';
import { useCallback, useEffect, useState } from 'react';
import type { MessageDto, UserRef } from '@/lib/validation/dto';
import { api } from '@/lib/client/api';

interface Report {
  id: string;
  reason: string;
  status: 'open' | 'resolved' | 'dismissed';
  action: string | null;
  createdAt: string;
  reporter: UserRef | null;
  reportCount: number;
  message: MessageDto | null;
  before: MessageDto[];
  after: MessageDto[];
  conversation: { id: string; kind: string; title: string | null } | null;
}

/** What an admin does with a report; its button and its notice are messages (`admin.reports.actions.{action}`). */
const ACTIONS = ['delete', 'warn', 'deactivate', 'dismiss'] as const;

function Line({ m, reported }: { m: MessageDto; reported?: boolean }) {
  const t = useTranslations('admin.reports');
  const f = useFormat();
  return (
    <li className={reported ? 'report-line reported' : 'report-line'}>
      <span className="row-title">{m.sender?.displayName ?? t('system')}</span> <span className="row-sub">{f.dateTime(m.createdAt)}</span>
      <div>{m.deletedAt ? <em>{t('deleted')}</em> : m.body}</div>
    </li>
  );
}

/** The moderation queue: reported messages in context, and what an admin does about them (REST: /admin/reports). */
export function ReportsSection() {
  const t = useTranslations('admin.reports');
  const [status, setStatus] = useState<'open' | 'closed'>('open');
  const [reports, setReports] = useState<Report[] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(async () => {
    setReports((await api<{ reports: Report[] }>(`/admin/reports?status=${status}`)).reports);
  }, [status]);
  useEffect(() => {
    void load().catch((e: Error) => setNotice(e.message));
  }, [load]);

  const resolve = async (r: Report, action: (typeof ACTIONS)[number]) => {
    if (action !== 'dismiss' && !window.confirm(t('confirm', { action: t(`actions.${action}.label`) }))) return;
    setBusy(r.id);
    try {
      await api(`/admin/reports/${r.id}`, { method: 'POST', body: { action } });
      setNotice(t(`actions.${action}.done`));
    } catch (e) {
      setNotice((e as Error).message);
    }
    try {
      await load();
    } catch (e) {
      setNotice((e as Error).message);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="card" aria-labelledby="reports">
      <h2 id="reports">{t('title')}</h2>
      <label htmlFor="report-status">{t('show')}</label>{' '}
      <select id="report-status" value={status} onChange={(e) => setStatus(e.target.value as 'open' | 'closed')}>
        <option value="open">{t('open')}</option>
        <option value="closed">{t('closed')}</option>
      </select>
      <p role="status" aria-live="polite">
        {notice}
      </p>
      {reports === null ? (
        <p aria-busy="true">{t('loading')}</p>
      ) : reports.length === 0 ? (
        <p>{status === 'open' ? t('none') : t('noneHandled')}</p>
      ) : (
        <ul className="list" aria-label={t('title')}>
          {reports.map((r) => (
            <li key={r.id} className="report" data-testid="report">
              <p>
                {t.rich('reported', { name: r.reporter?.displayName ?? t('someone'), more: r.reportCount - 1, reason: r.reason, strong: (chunks) => <strong>{chunks}</strong> })}
                {r.conversation && (
                  <>
                    {' '}
                    {t('in')} <a href={`/c/${r.conversation.id}`}>{r.conversation.title ?? (r.conversation.kind === 'direct' ? t('aDirect') : t('aConversation'))}</a>
                  </>
                )}
                {r.status !== 'open' && <span className="row-sub"> · {r.status} ({r.action})</span>}
              </p>
              {r.message && (
                <ol className="report-context" aria-label={t('context')}>
                  {r.before.map((m) => (
                    <Line key={m.id} m={m} />
                  ))}
                  <Line m={r.message} reported />
                  {r.after.map((m) => (
                    <Line key={m.id} m={m} />
                  ))}
                </ol>
              )}
              {r.status === 'open' && (
                <div className="row-flex" role="group" aria-label={t('act')}>
                  {ACTIONS.map((a) => (
                    <button key={a} type="button" className={a === 'dismiss' ? 'btn btn-sm btn-ghost' : 'btn btn-sm'} disabled={busy === r.id} onClick={() => void resolve(r, a)}>
                      {t(`actions.${a}.label`)}
                    </button>
                  ))}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
