import { request as httpRequest } from 'node:http';
import webpush from 'web-push';
import { vapid } from './vapid';

export interface PushTarget {
  endpoint: string;
  p256dh: string;
  auth: string;
}

export type SendResult = { ok: true } | { ok: false; gone: boolean; status?: number; error: string };

/**
 * web-push only speaks https (it sends every request with https.request, so an http endpoint fails the TLS
 * handshake). Plain http endpoints are accepted only on loopback outside production (a test push service: see
 * assertEndpoint in lib/services/push.ts); they get the very same request, signed and encrypted by web-push, over http.
 */
function postOverHttp(details: webpush.RequestDetails, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(details.endpoint, { method: details.method, headers: details.headers as Record<string, string | number>, timeout: timeoutMs }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status <= 299) resolve();
        else reject(Object.assign(new Error(`Received unexpected response code ${status}: ${text.slice(0, 200)}`), { statusCode: status }));
      });
    });
    req.on('timeout', () => req.destroy(new Error('Socket timeout')));
    req.on('error', reject);
    req.end(details.body ?? undefined);
  });
}

/** Encrypts (aes128gcm) and delivers one push message, signed with our VAPID key. */
export async function sendPush(target: PushTarget, payload: string, opts: { topic?: string; ttl?: number } = {}): Promise<SendResult> {
  const v = vapid();
  const subscription = { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } };
  const options: webpush.RequestOptions = {
    vapidDetails: { subject: v.subject, publicKey: v.publicKey, privateKey: v.privateKey },
    TTL: opts.ttl ?? 3600,
    urgency: 'high',
    topic: opts.topic,
    contentEncoding: 'aes128gcm',
    timeout: 10_000,
  };
  try {
    if (new URL(target.endpoint).protocol === 'http:') await postOverHttp(webpush.generateRequestDetails(subscription, payload, options), 10_000);
    else await webpush.sendNotification(subscription, payload, options);
    return { ok: true };
  } catch (e) {
    const status = (e as { statusCode?: number }).statusCode;
    return { ok: false, gone: status === 404 || status === 410, status, error: (e as Error).message };
  }
}
