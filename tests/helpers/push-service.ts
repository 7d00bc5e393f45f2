/**
 * A web push service of our own, on loopback: what a browser vendor's push server does with the request the app
 * sends, checked as strictly as the specs ask.
 * - RFC 8292 (VAPID): `Authorization: vapid t=<JWT>, k=<public key>`; the JWT is ES256-signed with the key in `k`,
 *   which must be the app's VAPID public key; `aud` is this service's origin, `exp` in the future (≤ 24 h), `sub` a
 *   mailto: or https: contact.
 * - RFC 8291 / RFC 8188 (aes128gcm): the payload is decrypted with the subscription's private key and auth secret
 *   (ECDH P-256, HKDF-SHA-256, AES-128-GCM), so a test reads exactly what the service worker would.
 * Each fake subscription has its own P-256 key pair and 16-byte auth secret, and an endpoint that answers as told
 * (201 by default; 410 for a gone device; 500 once for a flaky service).
 */
import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, verify } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PushPayload {
  conversationId: string;
  title: string;
  body: string;
  url: string;
  tag: string;
}

export interface PushHit {
  subscription: FakeSubscription;
  /** 1 for the first request this endpoint received, 2 for the next, … */
  attempt: number;
  status: number;
  headers: IncomingHttpHeaders;
  topic: string | undefined;
  /** What failed in the checks (VAPID, encryption); empty when the request is a valid web push. */
  problems: string[];
  payload?: PushPayload;
  jwt?: { header: Record<string, unknown>; claims: Record<string, unknown> };
  at: number;
}

export interface FakeSubscription {
  endpoint: string;
  /** What the browser gives the app (PushSubscription.toJSON()). */
  json: { endpoint: string; keys: { p256dh: string; auth: string } };
  /** The status to answer the n-th request with (1-based). */
  answer: (attempt: number) => number;
  hits: PushHit[];
  /** Private key (the user agent's side of ECDH). */
  ecdh: ReturnType<typeof createECDH>;
  authSecret: Buffer;
}

const b64u = (b: Buffer) => b.toString('base64url');
const fromB64u = (s: string) => Buffer.from(s, 'base64url');

/** A P-256 public key (uncompressed point, 65 bytes) as a KeyObject. */
function p256PublicKey(point: Buffer) {
  if (point.length !== 65 || point[0] !== 0x04) throw new Error(`not an uncompressed P-256 point (${point.length} bytes)`);
  return createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: b64u(point.subarray(1, 33)), y: b64u(point.subarray(33)) }, format: 'jwk' });
}

function hkdf(salt: Buffer, ikm: Buffer, info: Buffer, length: number): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, salt, info, length));
}

/** RFC 8291 §3.4 + RFC 8188 §2: decrypts an aes128gcm web push body for this subscription. */
export function decryptAes128gcm(body: Buffer, sub: Pick<FakeSubscription, 'ecdh' | 'authSecret'>): Buffer {
  if (body.length < 21 + 65 + 17) throw new Error(`body too short (${body.length} bytes)`);
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20]!;
  if (idlen !== 65) throw new Error(`keyid must be the 65-byte sender public key, got ${idlen} bytes`);
  const asPublic = body.subarray(21, 21 + idlen);
  const records = body.subarray(21 + idlen);
  if (rs < 18) throw new Error(`record size ${rs} too small`);
  const uaPublic = sub.ecdh.getPublicKey();
  const ecdhSecret = sub.ecdh.computeSecret(asPublic);
  // IKM = HKDF(auth_secret, ecdh_secret, "WebPush: info" || 0x00 || ua_public || as_public, 32)
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), uaPublic, asPublic]);
  const ikm = hkdf(sub.authSecret, ecdhSecret, keyInfo, 32);
  const cek = hkdf(salt, ikm, Buffer.from('Content-Encoding: aes128gcm\0'), 16);
  const nonceBase = hkdf(salt, ikm, Buffer.from('Content-Encoding: nonce\0'), 12);
  const out: Buffer[] = [];
  let seq = 0;
  for (let off = 0; off < records.length; off += rs, seq++) {
    const record = records.subarray(off, Math.min(off + rs, records.length));
    const nonce = Buffer.from(nonceBase);
    // NONCE = NONCE_BASE XOR SEQ (a 96-bit big-endian counter; our records number far fewer than 2^32).
    nonce.writeUInt32BE((nonce.readUInt32BE(8) ^ seq) >>> 0, 8);
    const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
    decipher.setAuthTag(record.subarray(record.length - 16));
    const plain = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
    // Padding: the delimiter (0x02 in the last record, 0x01 before) followed by zeros.
    let end = plain.length - 1;
    while (end >= 0 && plain[end] === 0) end--;
    const last = off + rs >= records.length;
    if (end < 0 || plain[end] !== (last ? 2 : 1)) throw new Error('bad padding delimiter');
    out.push(plain.subarray(0, end));
  }
  return Buffer.concat(out);
}

/** Checks a VAPID Authorization header (RFC 8292) and returns the JWT's parts. */
export function checkVapid(
  authorization: string | undefined,
  expect: { publicKey: string; audience: string },
): { problems: string[]; jwt?: PushHit['jwt'] } {
  const problems: string[] = [];
  const m = /^vapid t=([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+), k=([A-Za-z0-9_-]+)$/.exec(authorization ?? '');
  if (!m) return { problems: [`Authorization is not "vapid t=…, k=…": ${authorization}`] };
  const [token, k] = [m[1]!, m[2]!];
  if (k !== expect.publicKey) problems.push(`k is not the server's VAPID public key`);
  const [h, c, s] = token.split('.') as [string, string, string];
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = JSON.parse(fromB64u(h).toString('utf8'));
    claims = JSON.parse(fromB64u(c).toString('utf8'));
  } catch {
    return { problems: [...problems, 'JWT parts are not JSON'] };
  }
  if (header.alg !== 'ES256') problems.push(`JWT alg is ${String(header.alg)}, not ES256`);
  const signatureOk = verify('sha256', Buffer.from(`${h}.${c}`), { key: p256PublicKey(fromB64u(k)), dsaEncoding: 'ieee-p1363' }, fromB64u(s));
  if (!signatureOk) problems.push('JWT signature does not verify with k');
  // And with the key the server publishes (k could be anything a forger likes).
  const withServerKey = verify('sha256', Buffer.from(`${h}.${c}`), { key: p256PublicKey(fromB64u(expect.publicKey)), dsaEncoding: 'ieee-p1363' }, fromB64u(s));
  if (!withServerKey) problems.push("JWT signature does not verify with the server's VAPID public key");
  if (claims.aud !== expect.audience) problems.push(`aud is ${String(claims.aud)}, expected ${expect.audience}`);
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.exp !== 'number' || claims.exp <= now || claims.exp > now + 24 * 3600) problems.push(`exp ${String(claims.exp)} is not within the next 24 h`);
  if (typeof claims.sub !== 'string' || !/^(mailto:|https:)/.test(claims.sub)) problems.push(`sub ${String(claims.sub)} is not mailto: or https:`);
  return { problems, jwt: { header, claims } };
}

export class FakePushService {
  private server!: Server;
  origin = '';
  private subs = new Map<string, FakeSubscription>();
  private waiters: { check: () => boolean; resolve: () => void }[] = [];
  /** Every request, in arrival order. */
  readonly hits: PushHit[] = [];

  constructor(private vapidPublicKey: string) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const sub = this.subs.get(req.url ?? '');
        if (!sub) {
          res.writeHead(404).end();
          return;
        }
        const attempt = sub.hits.length + 1;
        const status = sub.answer(attempt);
        const problems: string[] = [];
        if (req.method !== 'POST') problems.push(`method ${req.method}`);
        if (req.headers['content-encoding'] !== 'aes128gcm') problems.push(`Content-Encoding ${req.headers['content-encoding']}`);
        if (!(Number(req.headers.ttl) > 0)) problems.push(`TTL ${req.headers.ttl}`);
        const vapid = checkVapid(req.headers.authorization, { publicKey: this.vapidPublicKey, audience: this.origin });
        problems.push(...vapid.problems);
        let payload: PushPayload | undefined;
        try {
          payload = JSON.parse(decryptAes128gcm(Buffer.concat(chunks), sub).toString('utf8')) as PushPayload;
        } catch (e) {
          problems.push(`payload: ${(e as Error).message}`);
        }
        const hit: PushHit = {
          subscription: sub,
          attempt,
          status,
          headers: req.headers,
          topic: req.headers.topic as string | undefined,
          problems,
          payload,
          jwt: vapid.jwt,
          at: Date.now(),
        };
        // Answer first, then record: a test that saw the hit may rely on the app having had the answer sent.
        res.writeHead(status, status === 201 ? { location: `${this.origin}/messages/${randomBytes(6).toString('hex')}` } : {}).end(() => {
          sub.hits.push(hit);
          this.hits.push(hit);
          for (const w of [...this.waiters]) if (w.check()) w.resolve();
        });
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** A new browser subscription: its own key pair and auth secret, and an endpoint on this service. */
  subscription(answer: (attempt: number) => number = () => 201): FakeSubscription {
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const authSecret = randomBytes(16);
    const path = `/wpush/${randomBytes(12).toString('base64url')}`;
    const endpoint = `${this.origin}${path}`;
    const sub: FakeSubscription = {
      endpoint,
      json: { endpoint, keys: { p256dh: b64u(ecdh.getPublicKey()), auth: b64u(authSecret) } },
      answer,
      hits: [],
      ecdh,
      authSecret,
    };
    this.subs.set(path, sub);
    return sub;
  }

  /** Resolves once `check` holds (checked on every hit), or rejects after `timeoutMs` with `what`. */
  waitUntil(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const w = {
        check,
        resolve: () => {
          clearTimeout(timer);
          this.waiters.splice(this.waiters.indexOf(w), 1);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        const seen = this.hits.map((h) => `${h.subscription.endpoint.slice(-6)}#${h.attempt}:${h.status}:${h.payload?.body ?? '?'}`).join(', ');
        reject(new Error(`push service: ${what} did not happen within ${timeoutMs} ms; hits so far: [${seen}]`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  /** Waits for a push to `sub` whose decrypted body contains `text`; returns it. */
  async pushTo(sub: FakeSubscription, text: string, timeoutMs = 20_000): Promise<PushHit> {
    const find = () => sub.hits.find((h) => h.payload?.body.includes(text));
    await this.waitUntil(() => !!find(), `a push to ${sub.endpoint} with "${text}"`, timeoutMs);
    return find()!;
  }
}
