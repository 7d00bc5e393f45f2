/**
 * Rate limits on a server of its own, started as in production: NODE_ENV=production, RATE_LIMITS on.
 * TRUST_PROXY=1 lets each test come from its own random client address (X-Forwarded-For), so counts left in a
 * shared Redis by an earlier run (CI runs with REDIS_URL) cannot leak into this one.
 */
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialsCallback, registerUser, request, uniqueUsername } from '../helpers/api';
import { expectError } from '../helpers/errors';
import { startServer, type RunningServer } from '../helpers/server';

const randomIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ rateLimits: true, env: { TRUST_PROXY: '1' } });
});
afterAll(async () => {
  await server?.stop();
});

describe('rate limits (RATE_LIMITS on)', () => {
  it('the server refuses to start with RATE_LIMITS=off in production', async () => {
    await expect(startServer({ rateLimits: true, env: { RATE_LIMITS: 'off' }, timeoutMs: 30_000 })).rejects.toThrow(
      /RATE_LIMITS=off is refused when NODE_ENV=production/,
    );
  });

  it('POST /auth/tokens: 10 bad sign-ins per minute from one address, the 11th is 429 with Retry-After', async () => {
    const ip = randomIp();
    const attempt = () =>
      request(baseUrl(), '/api/v1/auth/tokens', {
        method: 'POST',
        headers: { 'x-forwarded-for': ip },
        body: { username: uniqueUsername('rl'), password: 'wrong-password', name: 'x' },
      });
    for (let i = 1; i <= 10; i++) expectError(await attempt(), 'unauthorized');
    const limited = await attempt();
    expectError(limited, 'rate_limited');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);

    // Another address is not affected.
    expectError(
      await request(baseUrl(), '/api/v1/auth/tokens', {
        method: 'POST',
        headers: { 'x-forwarded-for': randomIp() },
        body: { username: uniqueUsername('rl'), password: 'wrong-password', name: 'x' },
      }),
      'unauthorized',
    );
  });

  it('even the right password is refused while limited (no oracle)', async () => {
    const ip = randomIp();
    const user = await registerUser(baseUrl(), { prefix: 'rl', headers: { 'x-forwarded-for': randomIp() } });
    const attempt = (password: string) =>
      request(baseUrl(), '/api/v1/auth/tokens', {
        method: 'POST',
        headers: { 'x-forwarded-for': ip },
        body: { username: user.username, password, name: 'x' },
      });
    for (let i = 0; i < 10; i++) await attempt('wrong-password');
    expectError(await attempt(user.password), 'rate_limited');
  });

  it('next-auth sign-in: the 11th bad attempt for one address answers rate_limited and sets no session', async () => {
    const ip = randomIp();
    const headers = { 'x-forwarded-for': ip };
    for (let i = 1; i <= 10; i++) {
      const { res } = await credentialsCallback(baseUrl(), uniqueUsername('rl'), 'wrong-password', headers);
      expect(JSON.stringify(res.body)).toMatch(/CredentialsSignin/);
    }
    const { res, cookies } = await credentialsCallback(baseUrl(), uniqueUsername('rl'), 'wrong-password', headers);
    expect(JSON.stringify(res.body)).toMatch(/rate_limited/);
    expect(cookies['next-auth.session-token']).toBeUndefined();
  });

  it('registration: 20 per hour per address, then 429', async () => {
    const ip = randomIp();
    const attempt = () =>
      request(baseUrl(), '/api/v1/auth/register', {
        method: 'POST',
        headers: { 'x-forwarded-for': ip },
        // Invalid bodies still count: the limit comes before parsing.
        body: { username: 'x', password: 'y' },
      });
    for (let i = 1; i <= 20; i++) expectError(await attempt(), 'bad_request');
    const limited = await attempt();
    expectError(limited, 'rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(60);
  });
});

function baseUrl(): string {
  return server.url;
}
