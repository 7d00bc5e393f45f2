'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { useFormat } from '@/components/i18n/useFormat';
import { api } from '@/lib/client/api';
import { AppError } from '@/lib/errors';
import type { ScheduledDto } from '@/lib/validation/compose';
import { FormError } from '@/components/ui/FieldError';

/** `yyyy-MM-ddTHH:mm:ss` in the browser's time zone (what a datetime-local input takes). */
export function toLocalInput(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

function presets(now: Date, t: ReturnType<typeof useTranslations<'sendLater'>>): { label: string; at: Date }[] {
  const tomorrow9 = new Date(now);
  tomorrow9.setDate(now.getDate() + 1);
  tomorrow9.setHours(9, 0, 0, 0);
  const monday9 = new Date(now);
  monday9.setDate(now.getDate() + ((8 - now.getDay()) % 7 || 7));
  monday9.setHours(9, 0, 0, 0);
  return [
    { label: t('in30'), at: new Date(now.getTime() + 30 * 60_000) },
    { label: t('in1h'), at: new Date(now.getTime() + 3600_000) },
    { label: t('tomorrow'), at: tomorrow9 },
    { label: t('monday'), at: monday9 },
  ];
}

/** The "Send later" popover's contents (loaded when it first opens): presets and a date-time picker in the person's time zone. */
export function SendLaterPanel(p: { conversationId: string; threadId?: string; body: string; close: () => void; onScheduled: (s: ScheduledDto) => void }) {
  const [when, setWhen] = useState(() => toLocalInput(new Date(Date.now() + 3600_000)));
  const [error, setError] = useState<string | null>(null);
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const t = useTranslations('sendLater');
  const f = useFormat();
  const { close } = p;

  async function schedule(at: Date) {
    if (Number.isNaN(at.getTime())) return setError(t('pick'));
    try {
      const res = await api<{ scheduled: ScheduledDto }>('/scheduled', {
        method: 'POST',
        body: { conversationId: p.conversationId, body: p.body, sendAt: at.toISOString(), ...(p.threadId ? { threadId: p.threadId } : {}) },
      });
      close();
      p.onScheduled(res.scheduled);
    } catch (e) {
      setError(e instanceof AppError ? e.message : t('failed'));
    }
  }

  return (
    <>
      <ul className="list" aria-label={t('when')}>
        {presets(new Date(), t).map((x) => (
          <li key={x.label}>
            <button type="button" className="row" onClick={() => void schedule(x.at)}>
              <span className="row-main">
                <span className="row-title">{x.label}</span>
                <span className="row-sub">{f.when(x.at.toISOString())}</span>
              </span>
            </button>
          </li>
        ))}
      </ul>
      <label htmlFor="send-later-at" className="field-label">
        {t('dateTime')} <span className="row-sub">({zone})</span>
      </label>
      <div className="send-later-custom">
        <input id="send-later-at" type="datetime-local" step={1} value={when} onChange={(e) => setWhen(e.target.value)} />
        <button type="button" className="btn btn-sm" onClick={() => void schedule(new Date(when))}>
          {t('schedule')}
        </button>
      </div>
      <FormError message={error} />
    </>
  );
}
