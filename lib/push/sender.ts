import webpush from 'web-push';
import { vapid } from './vapid';

export interface PushTarget {
  endpoint: string;
  p256dh: string;
  auth: string;
}

export type SendResult = { ok: true } | { ok: false; gone: boolean; status?: number; error: string };

/** Encrypts (aes128gcm) and delivers one push message, signed with our VAPID key. */
export async function sendPush(target: PushTarget, payload: string, opts: { topic?: string; ttl?: number } = {}): Promise<SendResult> {
  const v = vapid();
  try {
    await webpush.sendNotification({ endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } }, payload, {
      vapidDetails: { subject: v.subject, publicKey: v.publicKey, privateKey: v.privateKey },
      TTL: opts.ttl ?? 3600,
      urgency: 'high',
      topic: opts.topic,
      contentEncoding: 'aes128gcm',
      timeout: 10_000,
    });
    return { ok: true };
  } catch (e) {
    const status = (e as { statusCode?: number }).statusCode;
    return { ok: false, gone: status === 404 || status === 410, status, error: (e as Error).message };
  }
}
