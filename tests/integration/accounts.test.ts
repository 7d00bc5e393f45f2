/**
 * Accounts over HTTP against the real server (spawned once by tests/global-setup.ts): registration, duplicate
 * usernames, the same-answer sign-in rule (REST tokens and next-auth), and /healthz.
 */
import { describe, expect, inject, it } from 'vitest';
import { credentialsCallback, login, PASSWORD, registerUser, request, uniqueUsername } from '../helpers/api';
import { expectError } from '../helpers/errors';

const baseUrl = inject('baseUrl');

describe('GET /healthz', () => {
  it('answers {"status":"ok"} while the database answers', async () => {
    const res = await request(baseUrl, '/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });
});

describe('POST /api/v1/auth/register', () => {
  it('creates an account: 201 {user} without any secret in it', async () => {
    const username = uniqueUsername('reg');
    const res = await request(baseUrl, '/api/v1/auth/register', {
      method: 'POST',
      body: { username, password: PASSWORD, displayName: 'Regina Register', email: 'regina@example.com' },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body.user).toMatchObject({ username, displayName: 'Regina Register', email: 'regina@example.com', online: false });
    expect(typeof res.body.user.id).toBe('string');
    expect(new Date(res.body.user.createdAt).toISOString()).toBe(res.body.user.createdAt);
    expect(res.text).not.toMatch(/argon2|passwordHash|password_hash/i);
    expect(res.text).not.toContain(PASSWORD);
  });

  it('uses the username as display name when none is given', async () => {
    const username = uniqueUsername('nodn');
    const res = await request(baseUrl, '/api/v1/auth/register', { method: 'POST', body: { username, password: PASSWORD } });
    expect(res.status).toBe(201);
    expect(res.body.user.displayName).toBe(username);
  });

  it('refuses a username that differs from an existing one only in case: 409 conflict on username', async () => {
    const lower = uniqueUsername('dup').toLowerCase();
    const first = await request(baseUrl, '/api/v1/auth/register', { method: 'POST', body: { username: lower, password: PASSWORD } });
    expect(first.status).toBe(201);
    for (const variant of [lower.toUpperCase(), lower[0]!.toUpperCase() + lower.slice(1), lower]) {
      const again = await request(baseUrl, '/api/v1/auth/register', { method: 'POST', body: { username: variant, password: 'another-password' } });
      expectError(again, 'conflict');
      expect(again.body.error.issues?.[0]?.path).toEqual(['username']);
    }
  });

  it('refuses concurrent registrations of one name in two cases: exactly one wins', async () => {
    const name = uniqueUsername('race').toLowerCase();
    const answers = await Promise.all(
      [name, name.toUpperCase(), name, name.toUpperCase()].map((username) =>
        request(baseUrl, '/api/v1/auth/register', { method: 'POST', body: { username, password: PASSWORD } }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409]);
    for (const a of answers.filter((x) => x.status === 409)) expectError(a, 'conflict');
  });

  it.each([
    [{ username: 'ab', password: PASSWORD }, 'username'],
    [{ username: 'has space', password: PASSWORD }, 'username'],
    [{ username: 'valid_name', password: 'short' }, 'password'],
    [{ username: 'valid_name', password: 'x'.repeat(129) }, 'password'],
    [{ username: 'valid_name', password: PASSWORD, displayName: 'x'.repeat(51) }, 'displayName'],
    [{ username: 'valid_name', password: PASSWORD, email: 'nope' }, 'email'],
  ])('refuses %j with 400 and an issue on %s', async (body, field) => {
    const res = await request(baseUrl, '/api/v1/auth/register', { method: 'POST', body });
    expectError(res, 'bad_request', { issues: true });
    expect(res.body.error.issues.map((i: { path: string[] }) => i.path[0])).toContain(field);
  });
});

describe('the same-answer sign-in rule', () => {
  it('POST /api/v1/auth/tokens: an unknown user and a wrong password get the identical answer', async () => {
    const user = await registerUser(baseUrl, { prefix: 'same' });
    const unknown = await request(baseUrl, '/api/v1/auth/tokens', {
      method: 'POST',
      body: { username: uniqueUsername('ghost'), password: user.password, name: 'cli' },
    });
    const wrong = await request(baseUrl, '/api/v1/auth/tokens', {
      method: 'POST',
      body: { username: user.username, password: 'not-the-password', name: 'cli' },
    });
    expectError(unknown, 'unauthorized');
    expectError(wrong, 'unauthorized');
    expect(unknown.status).toBe(wrong.status);
    expect(unknown.text).toBe(wrong.text);
    const right = await request(baseUrl, '/api/v1/auth/tokens', {
      method: 'POST',
      body: { username: user.username, password: user.password, name: 'cli' },
    });
    expect(right.status).toBe(201);
  });

  it('next-auth credentials callback: an unknown user and a wrong password get the identical answer and no session', async () => {
    const user = await registerUser(baseUrl, { prefix: 'same' });
    const unknown = await credentialsCallback(baseUrl, uniqueUsername('ghost'), user.password);
    const wrong = await credentialsCallback(baseUrl, user.username, 'not-the-password');
    expect(unknown.res.status).toBe(wrong.res.status);
    expect(unknown.res.status).toBeGreaterThanOrEqual(400);
    expect(unknown.res.text).toBe(wrong.res.text);
    expect(unknown.res.headers.get('location')).toBe(wrong.res.headers.get('location'));
    expect(unknown.cookies['next-auth.session-token']).toBeUndefined();
    expect(wrong.cookies['next-auth.session-token']).toBeUndefined();
    // And the right password does sign in.
    const cookie = await login(baseUrl, user);
    const me = await request(baseUrl, '/api/v1/me', { cookie });
    expect(me.status).toBe(200);
    expect(me.body.user.username).toBe(user.username);
  });

  it('both refusals take an argon2 verification (about the same time), a validation refusal does not', async () => {
    const user = await registerUser(baseUrl, { prefix: 'time' });
    const ghost = uniqueUsername('ghost');
    const attempt = (username: string, password: string) =>
      request(baseUrl, '/api/v1/auth/tokens', { method: 'POST', body: { username, password, name: 'timing' } });
    await attempt(ghost, 'warm-up-password'); // first call makes the dummy hash
    const unknown: number[] = [];
    const wrong: number[] = [];
    for (let i = 0; i < 7; i++) {
      const a = await attempt(ghost, 'wrong-password');
      const b = await attempt(user.username, 'wrong-password');
      expect([a.status, b.status]).toEqual([401, 401]);
      unknown.push(a.ms);
      wrong.push(b.ms);
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    // argon2id m=19456,t=2 is ~13 ms on these machines; a path that skipped it would answer in a few ms.
    expect(median(unknown)).toBeGreaterThan(5);
    expect(median(wrong)).toBeGreaterThan(5);
    const ratio = median(unknown) / median(wrong);
    expect(ratio, `unknown ${unknown.map(Math.round)} vs wrong ${wrong.map(Math.round)}`).toBeGreaterThan(0.4);
    expect(ratio, `unknown ${unknown.map(Math.round)} vs wrong ${wrong.map(Math.round)}`).toBeLessThan(2.5);
  });
});
