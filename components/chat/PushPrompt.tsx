'use client';

import { useEffect, useState } from 'react';
import { explainPushError, pushSupported, subscribePush } from '@/lib/client/push';

const KEY = 'chattrix-push-prompted';

/** A gentle offer to turn on notifications, once, after you sent your first message (never on page load). */
export function PushPrompt({ sentCount }: { sentCount: number }) {
  const [show, setShow] = useState(false);
  const [error, setError] = useState<string | null>(null);
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
      <span>Get a notification when someone replies?</span>
      {error && <span className="field-error">{error}</span>}
      <button
        type="button"
        className="btn btn-sm"
        onClick={() =>
          subscribePush().then(dismiss, (e: unknown) => {
            setError(explainPushError(e));
            localStorage.setItem(KEY, '1');
          })
        }
      >
        Turn on
      </button>
      <button type="button" className="btn btn-ghost btn-sm" onClick={dismiss}>
        Not now
      </button>
    </div>
  );
}
