/**
 * Table-driven bad input against every route of the real server: malformed JSON, wrong types, unknown fields,
 * wrong content types, oversize and empty bodies, bad queries and ids, unknown paths. Every answer must be the
 * contract's error shape with the right status — never a 500.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { ErrorCode } from '@/lib/errors';
import { createToken, registerUser, request, uniqueUsername, type HttpResult, type TestUser } from '../helpers/api';
import { expectError } from '../helpers/errors';

const baseUrl = inject('baseUrl');
const JSON_TYPE = { 'content-type': 'application/json' };
const LIMIT = 64 * 1024;

let user: TestUser;
let token: string;
beforeAll(async () => {
  user = await registerUser(baseUrl, { prefix: 'bad' });
  token = (await createToken(baseUrl, user)).token;
});

/** A raw request: the body string and headers exactly as given (fetch adds text/plain to a string body without a type). */
function raw(method: string, path: string, body: string | undefined, headers: Record<string, string>, auth: boolean) {
  return request(baseUrl, path, { method, body, headers: { ...headers, ...(auth ? { authorization: `Bearer ${token}` } : {}) } });
}

/** Streams `bytes` bytes of JSON-ish text without a Content-Length (chunked), so the server must count as it reads. */
async function chunked(method: string, path: string, bytes: number, auth: boolean): Promise<HttpResult> {
  const chunk = new TextEncoder().encode('"' + 'a'.repeat(8190) + '",');
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent === 0) {
        controller.enqueue(new TextEncoder().encode('['));
        sent = 1;
      } else if (sent < bytes) {
        controller.enqueue(chunk);
        sent += chunk.byteLength;
      } else {
        controller.enqueue(new TextEncoder().encode('"end"]'));
        controller.close();
      }
    },
  });
  const res = await fetch(new URL(path, baseUrl), {
    method,
    body: stream,
    headers: { ...JSON_TYPE, ...(auth ? { authorization: `Bearer ${token}` } : {}) },
    // @ts-expect-error Node's fetch needs duplex for a stream body; the DOM types do not know it.
    duplex: 'half',
  }).catch((e: Error) => e);
  if (res instanceof Error) throw new Error(`chunked upload failed: ${res.message}`);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : text, text, ms: 0 };
}

interface BodyRoute {
  name: string;
  method: string;
  path: () => string;
  auth: boolean;
  wrongTypes: unknown;
  wrongTypePaths: string[];
  unknownField: Record<string, unknown>;
}

const bodyRoutes: BodyRoute[] = [
  {
    name: 'POST /auth/register',
    method: 'POST',
    path: () => '/api/v1/auth/register',
    auth: false,
    wrongTypes: { username: 12345, password: true, displayName: ['x'], email: 7 },
    wrongTypePaths: ['username', 'password', 'displayName', 'email'],
    unknownField: { username: uniqueUsername('unk'), password: 'password-123', role: 'admin' },
  },
  {
    name: 'POST /auth/tokens',
    method: 'POST',
    path: () => '/api/v1/auth/tokens',
    auth: false,
    wrongTypes: { username: [], password: {}, name: 5 },
    wrongTypePaths: ['username', 'password', 'name'],
    unknownField: { username: 'someone', password: 'password-123', name: 'cli', superuser: true },
  },
  {
    name: 'PATCH /me',
    method: 'PATCH',
    path: () => '/api/v1/me',
    auth: true,
    wrongTypes: { displayName: 42, bio: false },
    wrongTypePaths: ['displayName', 'bio'],
    unknownField: { isAdmin: true },
  },
];

type Case = [label: string, send: (r: BodyRoute) => Promise<HttpResult>, code: ErrorCode, check?: (res: HttpResult, r: BodyRoute) => void];

const bigJson = (bytes: number) => JSON.stringify({ bio: 'x'.repeat(bytes) });

const cases: Case[] = [
  ['malformed JSON', (r) => raw(r.method, r.path(), '{"username": "abc", ', JSON_TYPE, r.auth), 'bad_request'],
  ['JSON with a trailing comma', (r) => raw(r.method, r.path(), '{"bio": "x",}', JSON_TYPE, r.auth), 'bad_request'],
  ['a bare word', (r) => raw(r.method, r.path(), 'hello', JSON_TYPE, r.auth), 'bad_request'],
  ['JSON null', (r) => raw(r.method, r.path(), 'null', JSON_TYPE, r.auth), 'bad_request', (res) => expect(res.body.error.issues).toBeDefined()],
  ['a JSON array', (r) => raw(r.method, r.path(), '[]', JSON_TYPE, r.auth), 'bad_request', (res) => expect(res.body.error.issues).toBeDefined()],
  ['a JSON string', (r) => raw(r.method, r.path(), '"text"', JSON_TYPE, r.auth), 'bad_request', (res) => expect(res.body.error.issues).toBeDefined()],
  ['a JSON number', (r) => raw(r.method, r.path(), '12', JSON_TYPE, r.auth), 'bad_request', (res) => expect(res.body.error.issues).toBeDefined()],
  [
    'wrong types',
    (r) => raw(r.method, r.path(), JSON.stringify(r.wrongTypes), JSON_TYPE, r.auth),
    'bad_request',
    (res, r) => {
      const paths = res.body.error.issues.map((i: { path: string[] }) => i.path.join('.'));
      for (const p of r.wrongTypePaths) expect(paths, res.text).toContain(p);
    },
  ],
  [
    'an unknown field',
    (r) => raw(r.method, r.path(), JSON.stringify(r.unknownField), JSON_TYPE, r.auth),
    'bad_request',
    (res) => expect(res.body.error.issues.some((i: { code?: string }) => i.code === 'unrecognized_keys'), res.text).toBe(true),
  ],
  [
    'a __proto__ key',
    (r) => raw(r.method, r.path(), '{"__proto__": {"isAdmin": true}}', JSON_TYPE, r.auth),
    'bad_request',
    (res) => expect(res.text).toMatch(/__proto__/),
  ],
  [
    'a NUL character in a string',
    (r) => raw(r.method, r.path(), JSON.stringify({ ...r.unknownField, ...(r.auth ? { bio: 'a\u0000b', isAdmin: undefined } : { username: 'nul\u0000name' }) }), JSON_TYPE, r.auth),
    'bad_request',
  ],
  ['deeply nested arrays', (r) => raw(r.method, r.path(), '['.repeat(20_000) + ']'.repeat(20_000), JSON_TYPE, r.auth), 'bad_request'],
  ['Content-Type text/plain', (r) => raw(r.method, r.path(), '{"bio":"x"}', { 'content-type': 'text/plain' }, r.auth), 'unsupported_media_type'],
  [
    'a form-encoded body',
    (r) => raw(r.method, r.path(), 'username=abc&password=password-123', { 'content-type': 'application/x-www-form-urlencoded' }, r.auth),
    'unsupported_media_type',
  ],
  [
    'a multipart body',
    (r) => raw(r.method, r.path(), '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--b--\r\n', { 'content-type': 'multipart/form-data; boundary=b' }, r.auth),
    'unsupported_media_type',
  ],
  ['an oversize body (64 KiB + 1, with Content-Length)', (r) => raw(r.method, r.path(), bigJson(LIMIT + 1 - bigJson(0).length), JSON_TYPE, r.auth), 'payload_too_large'],
  ['a 1 MiB body', (r) => raw(r.method, r.path(), bigJson(1024 * 1024), JSON_TYPE, r.auth), 'payload_too_large'],
  ['an oversize body streamed without Content-Length', (r) => chunked(r.method, r.path(), LIMIT + 16 * 1024, r.auth), 'payload_too_large'],
  ['an empty body', (r) => raw(r.method, r.path(), '', JSON_TYPE, r.auth), 'bad_request'],
  ['whitespace only', (r) => raw(r.method, r.path(), '  \n ', JSON_TYPE, r.auth), 'bad_request'],
  ['no body and no Content-Type', (r) => raw(r.method, r.path(), undefined, {}, r.auth), 'bad_request'],
];

describe.each(bodyRoutes)('$name', (route) => {
  it.each(cases)('%s', async (_label, send, code, check) => {
    const res = await send(route);
    expectError(res, code);
    check?.(res, route);
  });

  it('a body of exactly 64 KiB is read (and judged on its content, not its size)', async () => {
    const body = bigJson(LIMIT - bigJson(0).length);
    expect(Buffer.byteLength(body)).toBe(LIMIT);
    const res = await raw(route.method, route.path(), body, JSON_TYPE, route.auth);
    expect(res.status, res.text).not.toBe(413);
    expect(res.status).toBeLessThan(500);
    if (res.status >= 400) expectError(res, res.body.error.code);
  });
});

describe('PATCH /me without credentials checks auth before the body', () => {
  it('malformed JSON without a token → 401', async () => {
    expectError(await raw('PATCH', '/api/v1/me', '{"x":', JSON_TYPE, false), 'unauthorized');
  });
});

describe('GET /users query', () => {
  it.each([
    ['limit=abc', 'limit'],
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=-5', 'limit'],
    ['limit=1.5', 'limit'],
    ['limit=', 'limit'],
    [`q=${'x'.repeat(65)}`, 'q'],
    ['q=a%00b', 'q'],
    ['unknown=1', ''],
  ])('?%s → 400 with an issue on %j', async (query, field) => {
    const res = await request(baseUrl, `/api/v1/users?${query}`, { token });
    expectError(res, 'bad_request', { issues: true });
    expect(res.body.error.issues.map((i: { path: string[] }) => i.path.join('.')), res.text).toContain(field);
  });

  it.each([['limit=1'], ['limit=100'], ['q=%25_%5C'], ['q=%27%3B%20drop%20table%20users%3B--'], ['q=' + encodeURIComponent('名前😀')]])(
    '?%s is fine (200)',
    async (query) => {
      const res = await request(baseUrl, `/api/v1/users?${query}`, { token });
      expect(res.status, res.text).toBe(200);
      expect(Array.isArray(res.body.users)).toBe(true);
    },
  );

  it('SQL wildcards in q are literal', async () => {
    const res = await request(baseUrl, `/api/v1/users?q=${encodeURIComponent('%')}&limit=100`, { token });
    expect(res.status).toBe(200);
    for (const u of res.body.users) expect(`${u.username} ${u.displayName}`).toContain('%');
  });
});

describe('GET /users/{id} and DELETE /me/tokens/{id} with bad ids', () => {
  it.each([
    ['an unknown id', 'does-not-exist'],
    ['a 200-character id', 'x'.repeat(200)],
    ['a NUL byte', '%00'],
    ['quotes and semicolons', encodeURIComponent(`'; drop table users; --`)],
    ['an encoded slash', 'a%2Fb'],
    ['unicode', encodeURIComponent('名前😀')],
  ])('%s → 404', async (_label, id) => {
    expectError(await request(baseUrl, `/api/v1/users/${id}`, { token }), 'not_found');
    expectError(await request(baseUrl, `/api/v1/me/tokens/${id}`, { method: 'DELETE', token }), 'not_found');
  });

  it('DELETE /me/tokens/{id} ignores a malformed body', async () => {
    expectError(await raw('DELETE', '/api/v1/me/tokens/nope', '{"x":', JSON_TYPE, true), 'not_found');
  });
});

describe('unknown paths under /api/v1', () => {
  it.each([
    ['GET', '/api/v1'],
    ['GET', '/api/v1/nope'],
    ['GET', '/api/v1/me/nope'],
    ['GET', '/api/v1/auth'],
    ['GET', '/api/v1/users/x/y/z'],
    ['POST', '/api/v1/nope'],
    ['PUT', '/api/v1/nope'],
    ['PATCH', '/api/v1/nope'],
    ['DELETE', '/api/v1/nope'],
    ['GET', '/api/v1/%00'],
  ])('%s %s → 404 not_found', async (method, path) => {
    expectError(await raw(method, path, undefined, {}, false), 'not_found', { issues: false });
    expectError(await raw(method, path, undefined, {}, true), 'not_found', { issues: false });
  });

  it('a malformed body to an unknown path is still 404', async () => {
    expectError(await raw('POST', '/api/v1/nope', '{"x":', JSON_TYPE, false), 'not_found');
  });
});

describe('a method a known path does not support', () => {
  const cases: [string, string][] = [
    ['GET', '/api/v1/auth/register'],
    ['DELETE', '/api/v1/users'],
    ['PUT', '/api/v1/conversations'],
    ['POST', '/api/v1/me/tokens'],
  ];
  for (const [method, path] of cases) {
    it(`${method} ${path} → 405 method_not_allowed in the error shape`, async () => {
      const res = await raw(method, path, undefined, {}, true);
      expectError(res, 'method_not_allowed', { issues: false });
    });
  }
});
