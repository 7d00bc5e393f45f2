import type { Words } from '@/lib/i18n/english';
import { api } from './api';

/** Web push on this device: subscribe (asks permission), unsubscribe, and the current state. */
function urlBase64ToUint8Array(base64: string): Uint8Array<ArrayBuffer> {
  const padding = '='.repeat((4 - (base64.length % 4)) % 4);
  const raw = atob((base64 + padding).replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

export function pushSupported(): boolean {
  return typeof window !== 'undefined' && 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

/**
 * Why this browser cannot receive web push, in words a person can act on; null when it can (as far as can be told
 * before asking). Only call it in the browser (after hydration): the server cannot know.
 */
export function pushUnavailableReason(t: Words): string | null {
  if (typeof window === 'undefined') return null;
  if (!window.isSecureContext) return t('insecure');
  if (!('serviceWorker' in navigator)) return t('noWorker');
  if (!('PushManager' in window)) return t('noPushApi');
  if (!('Notification' in window)) return t('noNotifications');
  if (Notification.permission === 'denied') return t('blocked');
  return null;
}

/** A failure while turning push on, explained (the browser's own errors say little). `t`: useTranslations('push'). */
export function explainPushError(e: unknown, t: Words): string {
  const reason = pushUnavailableReason(t);
  if (reason) return reason;
  const err = e as { name?: string; message?: string };
  if (err?.name === 'NotAllowedError') return t('blocked');
  if (err?.name === 'AbortError' || /push service/i.test(err?.message ?? '')) return t('noPushService');
  if (err?.message) return err.message;
  return t('failed');
}

export async function currentSubscription(): Promise<PushSubscription | null> {
  if (!pushSupported()) return null;
  const reg = await navigator.serviceWorker.getRegistration('/');
  return (await reg?.pushManager.getSubscription()) ?? null;
}

export async function subscribePush(): Promise<PushSubscription> {
  // explainPushError words this in the person's language (it asks pushUnavailableReason first).
  if (!pushSupported()) throw new Error('This browser does not support notifications');
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') {
    // Named as the browser names a refusal, so explainPushError words it in the person's language.
    const refused = new Error('Notifications are blocked for this site. Allow them in the browser\'s site settings, then try again.');
    refused.name = 'NotAllowedError';
    throw refused;
  }
  const reg = await navigator.serviceWorker.ready;
  const { publicKey } = await api<{ publicKey: string }>('/push/vapid-public-key');
  const sub = (await reg.pushManager.getSubscription()) ?? (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: urlBase64ToUint8Array(publicKey) }));
  await api('/push/subscriptions', { method: 'POST', body: sub.toJSON() });
  return sub;
}

export async function unsubscribePush(): Promise<void> {
  const sub = await currentSubscription();
  if (!sub) return;
  await api('/push/subscriptions', { method: 'DELETE', body: { endpoint: sub.endpoint } }).catch(() => {});
  await sub.unsubscribe();
}
