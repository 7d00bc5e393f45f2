'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useState } from 'react';
import { useModalDialog } from '@/components/ui/useModalDialog';
import { reportMessageAction } from '@/app/(chat)/report-action';

/** Report a message to the site admins, with a reason (a server action: works before hydration too). */
export function ReportDialog({ messageId, onClose }: { messageId: string; onClose: () => void }) {
  const ref = useModalDialog(true, onClose);
  const [state, formAction, pending] = useActionState(reportMessageAction, { ok: false, at: 0 });
  const [reason, setReason] = useState('');
  const t = useTranslations('report');
  const done = state.ok;
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="report-title">
      <form action={formAction}>
        <input type="hidden" name="messageId" value={messageId} />
        <h2 id="report-title">{t('title')}</h2>
        {done ? (
          <p role="status">{t('thanks')}</p>
        ) : (
          <div className="field">
            <label htmlFor="report-reason">{t('reason')}</label>
            <textarea
              id="report-reason"
              name="reason"
              rows={3}
              maxLength={500}
              required
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              aria-invalid={!state.ok && state.at ? true : undefined}
              aria-describedby={!state.ok && state.at ? 'report-error' : undefined}
            />
            {!state.ok && state.at > 0 && (
              <p id="report-error" className="field-error" role="alert">
                {state.message}
              </p>
            )}
          </div>
        )}
        <div className="dialog-actions">
          <button type="button" className="btn btn-ghost" onClick={() => ref.current?.close()}>
            {done ? t('close') : t('cancel')}
          </button>
          {!done && (
            <button type="submit" className="btn btn-primary" disabled={pending || !reason.trim()} aria-busy={pending || undefined}>
              {pending ? t('sending') : t('submit')}
            </button>
          )}
        </div>
      </form>
    </dialog>
  );
}
