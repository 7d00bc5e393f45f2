'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useState } from 'react';
import type { Words } from '@/lib/i18n/english';

const KEY = 'chattrix-push-prompted';

/** As lib/client/push's pushSupported, which is loaded only when the person says yes (it is not in the page's JavaScript). */
const pushSupported = () => 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;

/** A gentle offer to turn on notifications, once, after you sent your first message (never on page load). */
export function PushPrompt({ sentCount }: { sentCount: number }) {
  const [show, setShow] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const t = useTranslations('pushPrompt');
  const tPush = useTranslations('push') as unknown as Words;
  useEffect(() => {
    if (sentCount < 1 || !pushSupported() || Notification.permission !== 'default') return;
    if (localStorage.getItem(KEY)) return;
    setShow(true);
  }, [sentCount]);
  if (!show) return null;
  const dismiss = () => {
    localStorage.setItem(KEY, '1');
    setShow(false);
  };
  return (
    <div className="push-prompt" role="status">
      <span>{t('question')}</span>
      {error && <span className="field-error">{error}</span>}
      <button
        type="button"
        className="btn btn-sm"
        onClick={() =>
          void import('@/lib/client/push').then(({ explainPushError, subscribePush }) =>
            subscribePush().then(dismiss, (e: unknown) => {
              setError(explainPushError(e, tPush));
              localStorage.setItem(KEY, '1');
            }),
          )
        }
      >
        {t('turnOn')}
      </button>
      <button type="button" className="btn btn-ghost btn-sm" onClick={dismiss}>
        {t('notNow')}
      </button>
    </div>
  );
}
