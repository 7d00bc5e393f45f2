'use client';

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

const ACTIONS = [
  { action: 'delete', label: 'Delete message', done: 'Message deleted' },
  { action: 'warn', label: 'Warn author', done: 'Author warned by direct message' },
  { action: 'deactivate', label: 'Deactivate author', done: 'Author deactivated' },
  { action: 'dismiss', label: 'Dismiss', done: 'Report dismissed' },
] as const;

function Line({ m, reported }: { m: MessageDto; reported?: boolean }) {
  return (
    <li className={reported ? 'report-line reported' : 'report-line'}>
      <span className="row-title">{m.sender?.displayName ?? 'System'}</span> <span className="row-sub">{new Date(m.createdAt).toLocaleString()}</span>
      <div>{m.deletedAt ? <em>deleted</em> : m.body}</div>
    </li>
  );
}

/** The moderation queue: reported messages in context, and what an admin does about them (REST: /admin/reports). */
export function ReportsSection() {
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
    if (action.action !== 'dismiss' && !window.confirm(`${action.label}?`)) return;
    setBusy(r.id);
    try {
      await api(`/admin/reports/${r.id}`, { method: 'POST', body: { action: action.action } });
      setNotice(action.done);
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
      <h2 id="reports">Reports</h2>
      <label htmlFor="report-status">Show</label>{' '}
      <select id="report-status" value={status} onChange={(e) => setStatus(e.target.value as 'open' | 'closed')}>
        <option value="open">Open reports</option>
        <option value="closed">Handled reports</option>
      </select>
      <p role="status" aria-live="polite">
        {notice}
      </p>
      {reports === null ? (
        <p aria-busy="true">Loading reports…</p>
      ) : reports.length === 0 ? (
        <p>{status === 'open' ? 'Nothing reported. ' : 'No handled reports yet.'}</p>
      ) : (
        <ul className="list" aria-label="Reports">
          {reports.map((r) => (
            <li key={r.id} className="report" data-testid="report">
              <p>
                <strong>{r.reporter?.displayName ?? 'Someone'}</strong> reported{r.reportCount > 1 ? ` (and ${r.reportCount - 1} more)` : ''}: “{r.reason}”
                {r.conversation && (
                  <>
                    {' '}
                    in <a href={`/c/${r.conversation.id}`}>{r.conversation.title ?? (r.conversation.kind === 'direct' ? 'a direct conversation' : 'a conversation')}</a>
                  </>
                )}
                {r.status !== 'open' && <span className="row-sub"> · {r.status} ({r.action})</span>}
              </p>
              {r.message && (
                <ol className="report-context" aria-label="The message in context">
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
                <div className="row-flex" role="group" aria-label="Act on this report">
                  {ACTIONS.map((a) => (
                    <button key={a.action} type="button" className={a.action === 'dismiss' ? 'btn btn-sm btn-ghost' : 'btn btn-sm'} disabled={busy === r.id} onClick={() => void resolve(r, a)}>
                      {a.label}
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
