/**
 * Fuzz (fast-check): every REST operation of the OpenAPI document and every socket event gets FUZZ_RUNS (default
 * 100 in `npm test`, to keep CI within its time; `FUZZ_RUNS=1000 npx vitest run tests/integration/fuzz.test.ts` for the
 * full run) generated and mutated payloads on the shared server: arbitrary JSON, valid samples with fields replaced by
 * arbitrary values, wrong types, huge and odd strings, garbage bodies, odd ids and query strings. Never a 5xx, never
 * an `internal` ack, the server stays up (`/healthz` 200 throughout and at the end).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { connectSocket, createToken, emitAck, registerUser, request, type ClientSocket, type TestUser } from '../helpers/api';

const baseUrl = inject('baseUrl');
const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
const IN_FLIGHT = 16;

let ana: TestUser & { token: string };
let ben: TestUser;
let conversationId: string;
let messageId: string;

interface Operation {
  path: string;
  method: string;
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, unknown> };
}
let operations: Operation[] = [];

beforeAll(async () => {
  const a = await registerUser(baseUrl, { prefix: 'fzana' });
  ana = { ...a, token: (await createToken(baseUrl, a)).token };
  ben = await registerUser(baseUrl, { prefix: 'fzben' });
  const g = await request<{ conversation: { id: string } }>(baseUrl, '/api/v1/conversations', { method: 'POST', token: ana.token, body: { kind: 'group', title: 'Fuzz', memberIds: [ben.id] } });
  conversationId = g.body.conversation.id;
  const m = await request<{ message: { id: string } }>(baseUrl, `/api/v1/conversations/${conversationId}/messages`, { method: 'POST', token: ana.token, body: { body: 'seed' } });
  messageId = m.body.message.id;
  const doc = await request<{ paths: Record<string, Record<string, Omit<Operation, 'path' | 'method'>>> }>(baseUrl, '/api/v1/openapi.json');
  operations = Object.entries(doc.body.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ ...op, path, method: method.toUpperCase() })));
});

/** Valid-looking samples whose fields the mutations replace. */
const samples = (): Record<string, unknown>[] => [
  { body: 'hello', clientId: 'c1', replyToId: messageId, attachmentIds: [] },
  { title: 'T', memberIds: [ben.id], kind: 'group' },
  { kind: 'direct', userId: ben.id },
  { userId: ben.id, role: 'admin', muted: true },
  { messageId, displayName: 'X', bio: 'Y' },
  { username: 'someone', password: 'long enough password', name: 'n' },
  { endpoint: 'https://push.example.net/x', keys: { p256dh: 'a', auth: 'b' } },
  { conversationId, userIds: [ben.id], visible: true, emoji: '👍' },
];

const oddString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.constantFrom('', ' ', '\0', '\u202e', '../../etc/passwd', '%00', '😀'.repeat(3000), 'a'.repeat(70_000), '{"a":', '__proto__', 'constructor'),
);
const anyValue = fc.oneof(fc.anything({ maxDepth: 3 }), oddString, fc.integer(), fc.double(), fc.constantFrom(null, true, [], {}, -1, 1e308, Number.MAX_SAFE_INTEGER));

/** A payload: arbitrary JSON, a sample with fields mutated or removed or added, or not JSON at all. */
function payloads(): fc.Arbitrary<{ raw?: string; json?: unknown }> {
  const mutated = fc
    .tuple(fc.constantFrom(...samples()), fc.dictionary(fc.oneof(fc.constantFrom('body', 'title', 'userId', 'messageId', 'memberIds', 'kind', 'role', 'password', 'username', 'endpoint', 'keys', 'userIds', 'emoji', 'visible', 'conversationId', 'clientId', 'attachmentIds', '__proto__'), fc.string()), anyValue, { maxKeys: 3 }))
    .map(([s, patch]) => ({ json: { ...s, ...patch } }));
  return fc.oneof(
    { weight: 3, arbitrary: mutated },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((json) => ({ json })) },
    { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }).map((v) => ({ json: v === undefined ? null : v })) },
    { weight: 1, arbitrary: oddString.map((raw) => ({ raw })) },
  );
}

const idArb = () => fc.oneof(fc.constantFrom(conversationId, messageId, ben.id, ana.id, 'x', '..', '%2e%2e', 'a'.repeat(200), '%00', '😀'), fc.string({ minLength: 1, maxLength: 40 }));

function fillPath(path: string, ids: string[]): string {
  let i = 0;
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = ids[i++ % ids.length]!;
    // Never revoke the fuzzer's own token or block its partner for real: those ids stay random.
    if (path.startsWith('/me/tokens/') && name === 'id' && v.length < 30) return 'fz' + encodeURIComponent(v);
    return encodeURIComponent(v);
  });
}

async function inBatches<T>(items: T[], fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

describe(`fuzz: ${RUNS} payloads per REST operation and socket event`, () => {
  it('REST: no 5xx on any operation; /healthz stays 200', async () => {
    const failures: string[] = [];
    let sent = 0;
    for (const op of operations) {
      if (op.path === '/me' && op.method === 'DELETE') continue; // covered separately below (it must not succeed)
      const cases = fc.sample(fc.tuple(payloads(), fc.array(idArb(), { minLength: 1, maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 8 }), oddString, { maxKeys: 3 })), RUNS);
      await inBatches(cases, async ([p, ids, q]) => {
        const qs = new URLSearchParams(q as Record<string, string>).toString();
        const url = `${baseUrl}/api/v1${fillPath(op.path, ids)}${qs ? `?${qs}` : ''}`;
        const withBody = !['GET', 'HEAD'].includes(op.method);
        let res: Response;
        try {
          res = await fetch(url, {
            method: op.method,
            headers: { authorization: `Bearer ${ana.token}`, 'content-type': 'application/json' },
            body: withBody ? (p.raw ?? JSON.stringify(p.json)) : undefined,
          });
          await res.arrayBuffer();
        } catch (e) {
          failures.push(`${op.method} ${op.path}: ${(e as Error).message}`);
          return;
        }
        sent++;
        if (res.status >= 500) failures.push(`${op.method} ${op.path} → ${res.status} for ${(p.raw ?? JSON.stringify(p.json) ?? '').slice(0, 200)}`);
      });
      expect((await request(baseUrl, '/healthz')).status, `after ${op.method} ${op.path}`).toBe(200);
    }
    // DELETE /me with mutated passwords: never 5xx, never deletes the account.
    for (const p of fc.sample(payloads(), Math.min(RUNS, 200))) {
      const res = await request(baseUrl, '/api/v1/me', { method: 'DELETE', token: ana.token, body: p.raw ?? JSON.stringify(p.json ?? null), headers: { 'content-type': 'application/json' } });
      if (res.status >= 500) failures.push(`DELETE /me → ${res.status}`);
    }
    expect(failures.slice(0, 20)).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual((operations.length - 1) * RUNS * 0.99);
    expect((await request(baseUrl, '/api/v1/me', { token: ana.token })).status).toBe(200);
  }, 1_800_000);

  it('socket events: every ack is well-formed and never `internal`; the connection and /healthz survive', async () => {
    const socket: ClientSocket = await connectSocket(baseUrl, { token: ana.token });
    const events = ['message:send', 'message:edit', 'message:delete', 'reaction:add', 'reaction:remove', 'typing:start', 'typing:stop', 'conversation:read', 'presence:subscribe', 'client:visibility'] as const;
    const failures: string[] = [];
    try {
      for (const event of events) {
        const cases = fc.sample(payloads(), RUNS);
        await inBatches(cases, async (p) => {
          const ack = await emitAck<{ ok?: unknown; error?: { code?: string } }>(socket, event, p.raw ?? p.json, 20_000).catch((e: Error) => ({ ok: 'timeout', error: { code: e.message } }));
          if (typeof ack?.ok !== 'boolean') failures.push(`${event}: ack ${JSON.stringify(ack).slice(0, 200)}`);
          else if (!ack.ok && (ack.error?.code === 'internal' || !ack.error?.code)) failures.push(`${event}: ${JSON.stringify(ack).slice(0, 200)} for ${JSON.stringify(p).slice(0, 200)}`);
        });
        expect(socket.connected, `after ${event}`).toBe(true);
      }
    } finally {
      socket.close();
    }
    expect(failures.slice(0, 20)).toEqual([]);
    expect((await request(baseUrl, '/healthz')).status).toBe(200);
  }, 1_800_000);
});
