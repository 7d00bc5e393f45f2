import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newSigningSecret, signPayload, verifySignature } from '../../lib/integrations/signature';

describe('integration signatures', () => {
  const secret = newSigningSecret();
  const body = JSON.stringify({ id: 'd1', type: 'message.created' });
  const at = new Date('2026-11-29T12:00:00Z');

  it('is t=<unix>,v1=<HMAC-SHA256 of "t.body">, as README documents it', () => {
    const header = signPayload(secret, body, at);
    const t = Math.floor(at.getTime() / 1000);
    expect(header).toBe(`t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`);
    expect(verifySignature(secret, body, header, at)).toBe(true);
  });

  it('rejects another body, another secret, an old timestamp and garbage', () => {
    const header = signPayload(secret, body, at);
    expect(verifySignature(secret, body + ' ', header, at)).toBe(false);
    expect(verifySignature(newSigningSecret(), body, header, at)).toBe(false);
    expect(verifySignature(secret, body, header, new Date(at.getTime() + 301_000))).toBe(false);
    for (const bad of ['', 't=1', 'v1=00', 't=x,v1=zz', `t=${Math.floor(at.getTime() / 1000)},v1=abc`]) expect(verifySignature(secret, body, bad, at)).toBe(false);
    expect(verifySignature(secret, body, undefined, at)).toBe(false);
  });
});
