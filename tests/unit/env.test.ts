import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '@/lib/env';

function refusal(source: Record<string, string | undefined>): string {
  try {
    parseEnv(source);
  } catch (e) {
    expect(e).toBeInstanceOf(EnvError);
    return (e as Error).message;
  }
  throw new Error(`parseEnv accepted ${JSON.stringify(source)}`);
}

describe('environment validation (lib/env parseEnv)', () => {
  it('has the documented defaults with nothing set', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3000,
      HOST: '0.0.0.0',
      DATA_DIR: './data',
      MAX_UPLOAD_BYTES: 16_777_216,
      REGISTRATION: 'open',
      TRUST_PROXY: false,
      RATE_LIMITS: true,
    });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.REDIS_URL).toBeUndefined();
    expect(env.AUTH_SECRET).toBeUndefined();
  });

  it('reads the values it is given', () => {
    const env = parseEnv({
      PORT: '8080',
      HOST: '127.0.0.1',
      DATA_DIR: '/var/lib/chattrix',
      DATABASE_URL: 'postgres://u:p@db:5432/chattrix',
      REDIS_URL: 'redis://cache:6379',
      REGISTRATION: 'closed',
      TRUST_PROXY: '1',
      MAX_UPLOAD_BYTES: '1024',
    });
    expect(env).toMatchObject({
      PORT: 8080,
      HOST: '127.0.0.1',
      DATA_DIR: '/var/lib/chattrix',
      DATABASE_URL: 'postgres://u:p@db:5432/chattrix',
      REDIS_URL: 'redis://cache:6379',
      REGISTRATION: 'closed',
      TRUST_PROXY: { hops: 1 },
      MAX_UPLOAD_BYTES: 1024,
    });
    expect(parseEnv({ DATABASE_URL: 'postgresql://localhost/x' }).DATABASE_URL).toBe('postgresql://localhost/x');
  });

  it('treats an empty value as unset', () => {
    const env = parseEnv({ PORT: '', DATABASE_URL: '', RATE_LIMITS: '' });
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.RATE_LIMITS).toBe(true);
  });

  it('accepts PORT=0 (a free port)', () => {
    expect(parseEnv({ PORT: '0' }).PORT).toBe(0);
  });

  it.each([['abc'], ['70000'], ['-1'], ['3.5'], ['65536']])('refuses PORT=%s and names the variable', (PORT) => {
    expect(refusal({ PORT })).toMatch(/PORT/);
  });

  it.each([['mysql://localhost/db'], ['localhost:5432'], ['http://db/x']])('refuses DATABASE_URL=%s', (DATABASE_URL) => {
    expect(refusal({ DATABASE_URL })).toMatch(/DATABASE_URL/);
  });

  it('refuses a REDIS_URL that is not redis://', () => {
    expect(refusal({ REDIS_URL: 'http://cache:6379' })).toMatch(/REDIS_URL/);
  });

  it('REDIS_PREFIX: `chattrix` by default, a name of its own when given, refused with spaces or over 64 characters', () => {
    expect(parseEnv({}).REDIS_PREFIX).toBe('chattrix');
    expect(parseEnv({ REDIS_PREFIX: 'acme-chat.prod' }).REDIS_PREFIX).toBe('acme-chat.prod');
    expect(refusal({ REDIS_PREFIX: 'has space' })).toMatch(/REDIS_PREFIX/);
    expect(refusal({ REDIS_PREFIX: 'x'.repeat(65) })).toMatch(/REDIS_PREFIX/);
  });

  it('refuses RATE_LIMITS=off in production, allows it outside', () => {
    expect(refusal({ NODE_ENV: 'production', RATE_LIMITS: 'off' })).toMatch(/RATE_LIMITS/);
    expect(parseEnv({ NODE_ENV: 'development', RATE_LIMITS: 'off' }).RATE_LIMITS).toBe(false);
    expect(parseEnv({ NODE_ENV: 'test', RATE_LIMITS: 'off' }).RATE_LIMITS).toBe(false);
    expect(parseEnv({ NODE_ENV: 'production' }).RATE_LIMITS).toBe(true);
  });

  it('refuses values outside their sets', () => {
    expect(refusal({ RATE_LIMITS: 'maybe' })).toMatch(/RATE_LIMITS/);
    expect(refusal({ REGISTRATION: 'invite-only' })).toMatch(/REGISTRATION/);
    expect(refusal({ NODE_ENV: 'staging' })).toMatch(/NODE_ENV/);
  });

  it('refuses a short AUTH_SECRET and half a VAPID key pair', () => {
    expect(refusal({ AUTH_SECRET: 'too-short' })).toMatch(/AUTH_SECRET/);
    expect(refusal({ VAPID_PUBLIC_KEY: 'abc' })).toMatch(/VAPID/);
  });

  it('reports every problem at once', () => {
    const msg = refusal({ PORT: 'x', DATABASE_URL: 'mysql://x' });
    expect(msg).toMatch(/PORT/);
    expect(msg).toMatch(/DATABASE_URL/);
  });
});
