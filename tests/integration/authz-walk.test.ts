/**
 * An authorization walk generated from the OpenAPI document (GET /api/v1/openapi.json): every path and method is
 * called signed out and as a signed-in stranger who is in none of Ana and Ben's conversations. Signed out: 401
 * (except the documented public operations). Stranger: on anything that names their conversation, message or file,
 * 403 or 404; on everything else no 5xx; and never, anywhere, a byte of their data (the group title, a message
 * body, a file's contents). Afterwards their data is unchanged. New endpoints are walked without touching this file.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createToken, registerUser, request, type TestUser } from '../helpers/api';

const baseUrl = inject('baseUrl');

interface Person extends TestUser {
  token: string;
  tokenId: string;
}

async function person(prefix: string): Promise<Person> {
  const u = await registerUser(baseUrl, { prefix });
  const t = await createToken(baseUrl, u);
  return { ...u, token: t.token, tokenId: t.id };
}

const tag = Math.random().toString(36).slice(2, 10);
const SECRET_TITLE = `Secret plans ${tag}`;
const SECRET_BODY = `the vault code is ${tag}`;
const SECRET_FILE = `file contents ${tag}`;
const SECRETS = [SECRET_TITLE, SECRET_BODY, SECRET_FILE];

let ana: Person;
let ben: Person;
let cat: Person;
let conversationId: string;
let messageId: string;
let uploadId: string;

interface Operation {
  path: string;
  method: string;
  /** Where the path is served: `/api/v1` (the document's server), or a path item's own `servers` (`/readyz`, `/metrics`). */
  base: string;
  security?: unknown[];
  requestBody?: { content: Record<string, unknown> };
  parameters?: { name: string; in: string; required?: boolean }[];
}
let operations: Operation[] = [];

beforeAll(async () => {
  [ana, ben, cat] = await Promise.all([person('azana'), person('azben'), person('azcat')]);
  const g = await request<{ conversation: { id: string } }>(baseUrl, '/api/v1/conversations', {
    method: 'POST',
    token: ana.token,
    body: { kind: 'group', title: SECRET_TITLE, memberIds: [ben.id] },
  });
  conversationId = g.body.conversation.id;
  const m = await request<{ message: { id: string } }>(baseUrl, `/api/v1/conversations/${conversationId}/messages`, { method: 'POST', token: ben.token, body: { body: SECRET_BODY } });
  messageId = m.body.message.id;
  const form = new FormData();
  form.append('file', new Blob([SECRET_FILE + '\n']), 'secret.txt');
  const up = await fetch(new URL('/api/v1/uploads', baseUrl), { method: 'POST', headers: { authorization: `Bearer ${ana.token}` }, body: form });
  uploadId = ((await up.json()) as { attachment: { id: string } }).attachment.id;
  const withFile = await request(baseUrl, `/api/v1/conversations/${conversationId}/messages`, { method: 'POST', token: ana.token, body: { body: 'see file', attachmentIds: [uploadId] } });
  expect(withFile.status, withFile.text).toBe(201);

  const doc = await request<{ paths: Record<string, Record<string, unknown> & { servers?: { url: string }[] }> }>(baseUrl, '/api/v1/openapi.json');
  expect(doc.status).toBe(200);
  const methods = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);
  operations = Object.entries(doc.body.paths).flatMap(([path, item]) => {
    const base = (item.servers?.[0]?.url ?? '/api/v1').replace(/\/$/, '');
    return Object.entries(item)
      .filter(([key]) => methods.has(key))
      .map(([method, op]) => ({ ...(op as Omit<Operation, 'path' | 'method' | 'base'>), path, base, method: method.toUpperCase() }));
  });
});

/** Fills path parameters with Ana and Ben's ids, as a stranger would guess or learn them. */
function fill(path: string): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (name === 'userId') return ben.id;
    if (name === 'emoji') return encodeURIComponent('👍');
    if (name !== 'id') return 'x';
    if (path.startsWith('/messages/')) return messageId;
    if (path.startsWith('/uploads/')) return uploadId;
    if (path.startsWith('/users/')) return ana.id;
    if (path.startsWith('/me/tokens/')) return ana.tokenId;
    return conversationId;
  });
}

/** A valid body for each operation that takes one (so that the answer is about who asks, not about the body). */
function bodyFor(op: Operation): unknown {
  const key = `${op.method} ${op.path}`;
  const bodies: Record<string, unknown> = {
    'PATCH /conversations/{id}': { title: 'pwned' },
    'POST /conversations/{id}/members': { userId: cat.id },
    'PATCH /conversations/{id}/members/{userId}': { role: 'owner' },
    'POST /conversations/{id}/messages': { body: 'pwned' },
    'POST /conversations/{id}/read': { messageId },
    'PATCH /messages/{id}': { body: 'pwned' },
    'POST /messages/{id}/thread/read': { messageId },
    'POST /conversations': { kind: 'direct', userId: ana.id },
    'PATCH /me': { bio: 'hello' },
    'DELETE /me': { password: 'not my password' },
    'POST /push/subscriptions': { endpoint: 'https://push.example.net/x', keys: { p256dh: 'x', auth: 'y' } },
    'DELETE /push/subscriptions': { endpoint: 'https://push.example.net/x' },
  };
  if (key in bodies) return bodies[key];
  return op.requestBody?.content['application/json'] ? {} : undefined;
}

/** An operation added later without a sample body here may answer 400 to `{}` before it looks at who asks. */
function hasSample(op: Operation): boolean {
  return !op.requestBody?.content['application/json'] || ['PATCH /conversations/{id}', 'POST /conversations/{id}/members', 'PATCH /conversations/{id}/members/{userId}', 'POST /conversations/{id}/messages', 'POST /conversations/{id}/read', 'PATCH /messages/{id}', 'POST /messages/{id}/thread/read'].includes(`${op.method} ${op.path}`);
}

function query(op: Operation): string {
  const required = (op.parameters ?? []).filter((p) => p.in === 'query' && p.required);
  return required.length ? `?${required.map((p) => `${p.name}=${encodeURIComponent(tag)}`).join('&')}` : '';
}

const namesTheirs = (path: string) => /^\/(conversations|messages|uploads)\/\{id\}/.test(path);

describe('authorization walk from the OpenAPI document', () => {
  it('walks every operation (and there are many)', () => {
    expect(operations.length).toBeGreaterThan(30);
  });

  it('signed out: 401 on every operation that needs a caller, and no data', async () => {
    const failures: string[] = [];
    for (const op of operations) {
      if (op.security && op.security.length === 0) continue; // public: register, tokens, VAPID key, this document
      const res = await request(baseUrl, `${op.base}${fill(op.path)}${query(op)}`, { method: op.method, body: bodyFor(op) });
      if (res.status !== 401) failures.push(`${op.method} ${op.path} → ${res.status} ${res.text.slice(0, 120)}`);
      for (const s of SECRETS) if (res.text.includes(s)) failures.push(`${op.method} ${op.path} leaked "${s}"`);
    }
    expect(failures).toEqual([]);
  });

  it("a stranger: 403/404 on Ana and Ben's conversation, message and file; never their data; no 5xx", async () => {
    const failures: string[] = [];
    const seen: string[] = [];
    for (const op of operations) {
      const res = await request(baseUrl, `${op.base}${fill(op.path)}${query(op)}`, { method: op.method, token: cat.token, body: bodyFor(op) });
      seen.push(`${op.method} ${op.path} ${res.status}`);
      if (res.status >= 500) failures.push(`${op.method} ${op.path} → ${res.status}`);
      const allowed = hasSample(op) ? [403, 404] : [400, 403, 404];
      if (namesTheirs(op.path) && !allowed.includes(res.status)) failures.push(`${op.method} ${op.path} → ${res.status} ${res.text.slice(0, 120)}`);
      for (const s of SECRETS) if (res.text.includes(s)) failures.push(`${op.method} ${op.path} leaked "${s}"`);
    }
    expect(failures, seen.join('\n')).toEqual([]);
  });

  it("afterwards Ana and Ben's conversation, message, file and token are as they were", async () => {
    const g = await request<{ conversation: { title: string; members: { id: string; role: string }[] } }>(baseUrl, `/api/v1/conversations/${conversationId}`, { token: ana.token });
    expect(g.status).toBe(200);
    expect(g.body.conversation.title).toBe(SECRET_TITLE);
    expect(Object.fromEntries(g.body.conversation.members.map((m) => [m.id, m.role]))).toEqual({ [ana.id]: 'owner', [ben.id]: 'member' });
    const msgs = await request<{ messages: { id: string; body: string; deletedAt: string | null }[] }>(baseUrl, `/api/v1/conversations/${conversationId}/messages`, { token: ben.token });
    const m = msgs.body.messages.find((x) => x.id === messageId)!;
    expect(m).toMatchObject({ body: SECRET_BODY, deletedAt: null });
    expect(msgs.body.messages.some((x) => x.body === 'pwned')).toBe(false);
    const file = await fetch(new URL(`/api/v1/uploads/${uploadId}`, baseUrl), { headers: { authorization: `Bearer ${ben.token}` } });
    expect(await file.text()).toContain(SECRET_FILE);
    expect((await request(baseUrl, '/api/v1/me', { token: ana.token })).status).toBe(200);
  });
});
