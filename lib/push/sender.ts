import webpush from 'web-push';
import { OutboundError, outboundFetch } from '../outbound';
import { vapid } from './vapid';
import { metrics } from '../observability/metrics';

export interface PushTarget {
  endpoint: string;
  p256dh: string;
  auth: string;
}

export type SendResult = { ok: true } | { ok: false; gone: boolean; status?: number; error: string };

/**
 * Encrypts (aes128gcm) and delivers one push message, signed with our VAPID key. web-push only builds the request
 * (generateRequestDetails: headers, VAPID JWT, encrypted body); it is sent through the outbound guard (lib/outbound),
 * which refuses private and loopback targets, pins the resolved address, follows no redirect and caps time and size.
 * An endpoint the guard refuses is treated as gone: it would never be delivered to.
 */
export async function sendPush(target: PushTarget, payload: string, opts: { topic?: string; ttl?: number } = {}): Promise<SendResult> {
  const v = vapid();
  const subscription = { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } };
  const options: webpush.RequestOptions = {
    vapidDetails: { subject: v.subject, publicKey: v.publicKey, privateKey: v.privateKey },
    TTL: opts.ttl ?? 3600,
    urgency: 'high',
    topic: opts.topic,
    contentEncoding: 'aes128gcm',
  };
  try {
    const details = webpush.generateRequestDetails(subscription, payload, options);
    const res = await outboundFetch(details.endpoint, {
      method: details.method,
      headers: details.headers as Record<string, string | number>,
      body: details.body ?? undefined,
      timeoutMs: 10_000,
      maxBytes: 64 * 1024,
    });
    if (res.status >= 200 && res.status <= 299) {
      metrics().pushDeliveries.inc({ outcome: 'ok' });
      return { ok: true };
    }
    metrics().pushDeliveries.inc({ outcome: res.status === 404 || res.status === 410 ? 'gone' : 'failed' });
    return {
      ok: false,
      gone: res.status === 404 || res.status === 410,
      status: res.status,
      error: `Received unexpected response code ${res.status}: ${res.body.toString('utf8').slice(0, 200)}`,
    };
  } catch (e) {
    metrics().pushDeliveries.inc({ outcome: 'failed' });
    if (e instanceof OutboundError) return { ok: false, gone: e.code === 'refused' || e.code === 'scheme', error: e.message };
    return { ok: false, gone: false, error: (e as Error).message };
  }
}
