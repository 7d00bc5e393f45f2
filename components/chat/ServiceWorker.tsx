'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useRef, useState } from 'react';

/**
 * Registers the service worker (scope /) and offers an update when a new version is waiting.
 * Not in development, where pages change on every save.
 */
export function ServiceWorker() {
  const t = useTranslations('update');
  const [waiting, setWaiting] = useState<ServiceWorker | null>(null);
  const updateRequested = useRef(false);

  useEffect(() => {
    if (!('serviceWorker' in navigator) || process.env.NODE_ENV === 'development') return;
    let reg: ServiceWorkerRegistration | undefined;
    const track = (r: ServiceWorkerRegistration) => {
      if (r.waiting && navigator.serviceWorker.controller) setWaiting(r.waiting);
      r.addEventListener('updatefound', () => {
        const sw = r.installing;
        sw?.addEventListener('statechange', () => {
          if (sw.state === 'installed' && navigator.serviceWorker.controller) setWaiting(sw);
        });
      });
    };
    navigator.serviceWorker
      .register('/sw.js', { scope: '/' })
      .then((r) => {
        reg = r;
        track(r);
      })
      .catch((e: unknown) => console.warn('Service worker registration failed', e));
    // Reload only when the user asked for the update (not when the very first worker takes control).
    const onController = () => {
      if (!updateRequested.current) return;
      updateRequested.current = false;
      window.location.reload();
    };
    navigator.serviceWorker.addEventListener('controllerchange', onController);
    const poll = setInterval(() => void reg?.update().catch(() => {}), 60 * 60 * 1000);
    return () => {
      clearInterval(poll);
      navigator.serviceWorker.removeEventListener('controllerchange', onController);
    };
  }, []);

  if (!waiting) return null;
  return (
    <div className="update-toast" role="status">
      {t('ready')}
      <button type="button" className="btn btn-sm" onClick={() => {
          updateRequested.current = true;
          waiting.postMessage({ type: 'SKIP_WAITING' });
        }}>
        {t('reload')}
      </button>
      <button type="button" className="btn btn-ghost btn-sm" onClick={() => setWaiting(null)}>
        {t('later')}
      </button>
    </div>
  );
}
