/**
 * Two-factor sign-in (TOTP) against the real server: enrolment with a QR code and one confirming code, sign-in
 * that asks for a code after the password, recovery codes that work once, `POST /auth/tokens` with `otp`, and
 * turning it off with the password and a code. Codes are computed here with otpauth, as an authenticator app does.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { registerUser, request, type TestUser } from '../helpers/api';
import { expectError } from '../helpers/errors';
import { startServer, type RunningServer } from '../helpers/server';
import { signIn, totpCode } from '../helpers/trust';

const baseUrl = inject('baseUrl');
const origin = new URL(baseUrl).origin;

async function cookieFor(user: TestUser, otp?: string): Promise<string> {
  const r = await signIn(baseUrl, user, { otp });
  if (!r.cookie) throw new Error(`sign-in failed: ${r.status} ${r.error}`);
  return r.cookie;
}

/** Turns 2FA on for a fresh user; answers the secret, the recovery codes and a session cookie. */
async function enrolled(prefix = 'tfa') {
  const user = await registerUser(baseUrl, { prefix });
  const cookie = await cookieFor(user);
  const setup = await request(baseUrl, '/api/v1/me/two-factor/setup', { method: 'POST', cookie, origin, body: { password: user.password } });
  if (setup.status !== 200) throw new Error(`setup: ${setup.status} ${setup.text}`);
  const secret = setup.body.secret as string;
  const enable = await request(baseUrl, '/api/v1/me/two-factor/enable', { method: 'POST', cookie, origin, body: { code: totpCode(secret) } });
  if (enable.status !== 200) throw new Error(`enable: ${enable.status} ${enable.text}`);
  return { user, cookie, secret, recoveryCodes: enable.body.recoveryCodes as string[] };
}

describe('enrolment', () => {
  let user: TestUser;
  let cookie: string;
  beforeAll(async () => {
    user = await registerUser(baseUrl, { prefix: 'tfa' });
    cookie = await cookieFor(user);
  });

  it('is off at first', async () => {
    const res = await request(baseUrl, '/api/v1/me/two-factor', { cookie });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ enabled: false, recoveryCodesLeft: 0 });
  });

  it('set-up needs the password, answers a secret, an otpauth URL and a QR code; a wrong code does not turn it on', async () => {
    expectError(await request(baseUrl, '/api/v1/me/two-factor/setup', { method: 'POST', cookie, origin, body: { password: 'not it at all' } }), 'forbidden');
    const res = await request(baseUrl, '/api/v1/me/two-factor/setup', { method: 'POST', cookie, origin, body: { password: user.password } });
    expect(res.status, res.text).toBe(200);
    expect(res.body.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(res.body.otpauthUrl).toBe(
      `otpauth://totp/Chattrix:${encodeURIComponent(user.username)}?issuer=Chattrix&secret=${res.body.secret}&algorithm=SHA1&digits=6&period=30`,
    );
    expect(res.body.qrCode).toMatch(/^data:image\/svg\+xml;base64,/);
    const svg = Buffer.from(res.body.qrCode.split(',')[1], 'base64').toString('utf8');
    expect(svg).toContain('<svg');
    // Nothing is on until a code confirms it.
    expect((await request(baseUrl, '/api/v1/me/two-factor', { cookie })).body.enabled).toBe(false);
    expect((await signIn(baseUrl, user)).cookie).toBeTruthy();
    const wrong = String((Number(totpCode(res.body.secret)) + 1) % 1_000_000).padStart(6, '0');
    expectError(await request(baseUrl, '/api/v1/me/two-factor/enable', { method: 'POST', cookie, origin, body: { code: wrong } }), 'bad_request', { issues: true });
    expect((await request(baseUrl, '/api/v1/me/two-factor', { cookie })).body.enabled).toBe(false);
    // The right code turns it on and answers 10 recovery codes, once.
    const on = await request(baseUrl, '/api/v1/me/two-factor/enable', { method: 'POST', cookie, origin, body: { code: totpCode(res.body.secret) } });
    expect(on.status, on.text).toBe(200);
    expect(on.body.recoveryCodes).toHaveLength(10);
    expect(new Set(on.body.recoveryCodes).size).toBe(10);
    for (const c of on.body.recoveryCodes) expect(c).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    expect((await request(baseUrl, '/api/v1/me/two-factor', { cookie })).body).toEqual({ enabled: true, recoveryCodesLeft: 10 });
    // Already on: set-up again is a conflict.
    expectError(await request(baseUrl, '/api/v1/me/two-factor/setup', { method: 'POST', cookie, origin, body: { password: user.password } }), 'conflict');
  });

  it('enable without set-up is 400; bodies are validated', async () => {
    const u = await registerUser(baseUrl, { prefix: 'tfa' });
    const c = await cookieFor(u);
    expectError(await request(baseUrl, '/api/v1/me/two-factor/enable', { method: 'POST', cookie: c, origin, body: { code: '123456' } }), 'bad_request');
    expectError(await request(baseUrl, '/api/v1/me/two-factor/enable', { method: 'POST', cookie: c, origin, body: {} }), 'bad_request', { issues: true });
    expectError(await request(baseUrl, '/api/v1/me/two-factor/setup', { method: 'POST', cookie: c, origin, body: { password: 5 } }), 'bad_request', { issues: true });
    expectError(await request(baseUrl, '/api/v1/me/two-factor', { method: 'DELETE', cookie: c, origin, body: { password: u.password, code: '123456' } }), 'conflict');
  });
});

describe('signing in with two-factor on', () => {
  it('the password alone answers otp_required; a wrong code fails; the current code signs in; a code works once', async () => {
    const { user, secret } = await enrolled();
    expect(await signIn(baseUrl, user)).toMatchObject({ error: 'otp_required' });
    // A wrong password with two-factor on is the ordinary failure: nothing about codes.
    expect(await signIn(baseUrl, { username: user.username, password: 'wrong password' }, { otp: totpCode(secret) })).toMatchObject({ error: 'CredentialsSignin' });
    expect(await signIn(baseUrl, user, { otp: '000000' === totpCode(secret, 30) ? '111111' : '000000' })).toMatchObject({ error: 'otp_invalid' });
    // The code for the next 30 s step (the one used to enrol is spent).
    const code = totpCode(secret, 30);
    const ok = await signIn(baseUrl, user, { otp: code });
    expect(ok.cookie, ok.error).toBeTruthy();
    expect((await request(baseUrl, '/api/v1/me', { cookie: ok.cookie })).status).toBe(200);
    // The same code again (a replay) is refused.
    expect(await signIn(baseUrl, user, { otp: code })).toMatchObject({ error: 'otp_invalid' });
  });

  it('a recovery code signs in once, then never again', async () => {
    const { user, cookie, recoveryCodes } = await enrolled();
    const code = recoveryCodes[3]!;
    // Typed in capitals and without dashes, as people do.
    const first = await signIn(baseUrl, user, { otp: code.replace(/-/g, '').toUpperCase() });
    expect(first.cookie, first.error).toBeTruthy();
    expect(await signIn(baseUrl, user, { otp: code })).toMatchObject({ error: 'otp_invalid' });
    expect((await request(baseUrl, '/api/v1/me/two-factor', { cookie })).body).toEqual({ enabled: true, recoveryCodesLeft: 9 });
    // Another one still works.
    expect((await signIn(baseUrl, user, { otp: recoveryCodes[4]! })).cookie).toBeTruthy();
  });

  it('POST /auth/tokens needs otp: 401 with a clear message without it, 201 with a code', async () => {
    const { user, secret, recoveryCodes } = await enrolled();
    const without = await request(baseUrl, '/api/v1/auth/tokens', { method: 'POST', body: { username: user.username, password: user.password, name: 'bot' } });
    expectError(without, 'unauthorized');
    expect(without.body.error.message).toMatch(/two-factor/i);
    expect(without.body.error.message).toContain('otp');
    expectError(
      await request(baseUrl, '/api/v1/auth/tokens', { method: 'POST', body: { username: user.username, password: user.password, name: 'bot', otp: 'abcd-efgh-jkmn-pqrs' } }),
      'unauthorized',
    );
    // A wrong password is still the plain answer, even with a good code.
    const wrongPw = await request(baseUrl, '/api/v1/auth/tokens', { method: 'POST', body: { username: user.username, password: 'nope nope', name: 'bot', otp: totpCode(secret, 30) } });
    expectError(wrongPw, 'unauthorized');
    expect(wrongPw.body.error.message).not.toMatch(/two-factor/i);
    const withCode = await request(baseUrl, '/api/v1/auth/tokens', { method: 'POST', body: { username: user.username, password: user.password, name: 'bot', otp: totpCode(secret, 30) } });
    expect(withCode.status, withCode.text).toBe(201);
    expect((await request(baseUrl, '/api/v1/me', { token: withCode.body.token })).status).toBe(200);
    const withRecovery = await request(baseUrl, '/api/v1/auth/tokens', { method: 'POST', body: { username: user.username, password: user.password, name: 'bot2', otp: recoveryCodes[0] } });
    expect(withRecovery.status, withRecovery.text).toBe(201);
  });
});

describe('turning it off', () => {
  it('needs the password and a code; then the password alone signs in again', async () => {
    const { user, cookie, recoveryCodes } = await enrolled();
    expectError(
      await request(baseUrl, '/api/v1/me/two-factor', { method: 'DELETE', cookie, origin, body: { password: user.password, code: '12345' } }),
      'forbidden',
    );
    expectError(
      await request(baseUrl, '/api/v1/me/two-factor', { method: 'DELETE', cookie, origin, body: { password: 'wrong password', code: recoveryCodes[1] } }),
      'forbidden',
    );
    expectError(await request(baseUrl, '/api/v1/me/two-factor', { method: 'DELETE', cookie, origin, body: { password: user.password } }), 'bad_request', {
      issues: true,
    });
    expect((await request(baseUrl, '/api/v1/me/two-factor', { cookie })).body.enabled).toBe(true);
    const off = await request(baseUrl, '/api/v1/me/two-factor', { method: 'DELETE', cookie, origin, body: { password: user.password, code: recoveryCodes[1] } });
    expect(off.status, off.text).toBe(204);
    expect((await request(baseUrl, '/api/v1/me/two-factor', { cookie })).body).toEqual({ enabled: false, recoveryCodesLeft: 0 });
    expect((await signIn(baseUrl, user)).cookie).toBeTruthy();
    // The old recovery codes are gone with it.
    expect((await request(baseUrl, '/api/v1/me/two-factor/setup', { method: 'POST', cookie, origin, body: { password: user.password } })).status).toBe(200);
    // Each change is a security event (the recovery code used to turn it off too).
    const events = (await request(baseUrl, '/api/v1/me/security-events', { cookie })).body.events as { type: string; detail: Record<string, unknown> }[];
    expect(events.map((e) => e.type).slice(0, 4)).toEqual(['sign_in', 'two_factor_disabled', 'recovery_code_used', 'two_factor_enabled']);
    expect(events[2]!.detail).toEqual({ recoveryCodesLeft: 9 });
    expect(JSON.stringify(events)).not.toContain(recoveryCodes[1]!);
  });
});

describe('codes are rate limited (a server with rate limits on)', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ rateLimits: true, timeoutMs: 150_000 });
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('after 5 wrong codes for an account, even the right code is refused with 429 and Retry-After', async () => {
    const url = server.url;
    const o = new URL(url).origin;
    const user = await registerUser(url, { prefix: 'tfarl' });
    const r = await signIn(url, user);
    const cookie = r.cookie!;
    const setup = await request(url, '/api/v1/me/two-factor/setup', { method: 'POST', cookie, origin: o, body: { password: user.password } });
    const secret = setup.body.secret as string;
    expect((await request(url, '/api/v1/me/two-factor/enable', { method: 'POST', cookie, origin: o, body: { code: totpCode(secret) } })).status).toBe(200);
    const good = new Set([totpCode(secret, -30), totpCode(secret), totpCode(secret, 30)]);
    let wrong = 100_000;
    const nextWrong = () => {
      while (good.has(String(wrong))) wrong++;
      return String(wrong++);
    };
    // The enable above was one attempt: 4 more wrong ones reach the limit of 5.
    for (let i = 0; i < 4; i++) {
      expectError(await request(url, '/api/v1/me/two-factor', { method: 'DELETE', cookie, origin: o, body: { password: user.password, code: nextWrong() } }), 'forbidden');
    }
    const limited = await request(url, '/api/v1/me/two-factor', { method: 'DELETE', cookie, origin: o, body: { password: user.password, code: totpCode(secret, 30) } });
    expectError(limited, 'rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // The sign-in's code step is limited by the same counter.
    expect(await signIn(url, user, { otp: totpCode(secret, 30) })).toMatchObject({ error: 'rate_limited' });
    expect((await request(url, '/api/v1/me/two-factor', { cookie })).body.enabled).toBe(true);
  });
});
