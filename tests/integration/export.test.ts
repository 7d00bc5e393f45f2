/**
 * GET /me/export streams its ZIP: on a server of this file's own, a user who SENT 12 files of 8 MiB (incompressible)
 * exports ~96 MiB while the server's resident memory (sampled from /proc every 20 ms) grows by far less than the
 * export; the file is a valid ZIP (`unzip -t`), holds the sent files and the messages, and not the upload that was
 * never sent. One export at a time per user (409 while one runs).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildZip } from '../../lib/zip';
import { createToken, registerUser, request, type TestUser } from '../helpers/api';
import { expectError } from '../helpers/errors';
import { startServer, type RunningServer } from '../helpers/server';

const FILES = 12;
const FILE_BYTES = 8 * 1024 * 1024;

let server: RunningServer;
let ana: TestUser & { token: string };
let ben: TestUser & { token: string };
let conversationId: string;
let work: string;
const sentIds: string[] = [];
let unsentId = '';

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m![1]) * 1024;
}

async function upload(who: { token: string }, name: string, data: Buffer): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(data)]), name);
  const res = await fetch(new URL('/api/v1/uploads', server.url), { method: 'POST', headers: { authorization: `Bearer ${who.token}` }, body: form });
  const text = await res.text();
  expect(res.status, text).toBe(201);
  return (JSON.parse(text) as { attachment: { id: string } }).attachment.id;
}

function exportRequest(who: { token: string }) {
  return fetch(new URL('/api/v1/me/export', server.url), { headers: { authorization: `Bearer ${who.token}` } });
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'chattrix-export-'));
  server = await startServer();
  const [a, b] = await Promise.all([registerUser(server.url, { prefix: 'exana' }), registerUser(server.url, { prefix: 'exben' })]);
  ana = { ...a, token: (await createToken(server.url, a)).token };
  ben = { ...b, token: (await createToken(server.url, b)).token };
  const conv = await request<{ conversation: { id: string } }>(server.url, '/api/v1/conversations', {
    method: 'POST',
    token: ana.token,
    body: { kind: 'group', title: 'Export', memberIds: [ben.id] },
  });
  conversationId = conv.body.conversation.id;
  for (let i = 0; i < FILES; i++) {
    // A ZIP holding random bytes: an allowed type, and incompressible.
    const id = await upload(ana, `big-${i}.zip`, buildZip([{ name: 'r.bin', data: randomBytes(FILE_BYTES) }]));
    const sent = await request(server.url, `/api/v1/conversations/${conversationId}/messages`, {
      method: 'POST',
      token: ana.token,
      body: { body: `file ${i}`, attachmentIds: [id] },
    });
    expect(sent.status, sent.text).toBe(201);
    sentIds.push(id);
  }
  unsentId = await upload(ana, 'never-sent.txt', Buffer.from('draft, never sent\n'));
  for (let i = 0; i < 30; i++) {
    await request(server.url, `/api/v1/conversations/${conversationId}/messages`, { method: 'POST', token: ben.token, body: { body: `reply ${i}` } });
  }
}, 240_000);

afterAll(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('GET /me/export', () => {
  it('streams a ~96 MiB export with flat server memory; a valid ZIP with the sent files and messages only', async () => {
    // Warm up the route (first-use compilation and caches are not the export's memory).
    const warm = await exportRequest(ben);
    expect(warm.status).toBe(200);
    await warm.arrayBuffer();
    const pid = server.child.pid!;
    const before = rssBytes(pid);
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssBytes(pid));
    }, 20);
    const file = path.join(work, 'export.zip');
    try {
      const res = await exportRequest(ana);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/zip');
      await pipeline(Readable.fromWeb(res.body as unknown as WebReadableStream), createWriteStream(file));
    } finally {
      clearInterval(sampler);
    }
    const size = statSync(file).size;
    const growth = peak - before;
    console.log(`[export] ${(size / 1048576).toFixed(1)} MiB exported; server RSS ${(before / 1048576).toFixed(0)} MiB → peak ${(peak / 1048576).toFixed(0)} MiB (+${(growth / 1048576).toFixed(1)} MiB)`);
    expect(size).toBeGreaterThan(FILES * FILE_BYTES);
    // Buffering the ZIP would cost at least its size (twice, with the copy into the response): ~96–200 MiB.
    expect(growth).toBeLessThan(40 * 1024 * 1024);

    const test = spawnSync('unzip', ['-t', file], { encoding: 'utf8' });
    expect(test.status, test.stdout + test.stderr).toBe(0);
    expect(test.stdout).toMatch(/No errors detected/);
    const names = spawnSync('unzip', ['-Z1', file], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
    expect(names).toContain('profile.json');
    expect(names).toContain('conversations.json');
    expect(names).toContain(`messages/${conversationId}.json`);
    for (const id of sentIds) expect(names.some((n) => n.startsWith(`files/${id}-`))).toBe(true);
    expect(names.some((n) => n.includes(unsentId))).toBe(false);
    const messages = JSON.parse(spawnSync('unzip', ['-p', file, `messages/${conversationId}.json`], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).stdout) as { body: string }[];
    expect(messages.filter((m) => /^reply \d+$/.test(m.body))).toHaveLength(30);
    expect(messages.filter((m) => /^file \d+$/.test(m.body))).toHaveLength(FILES);
  }, 180_000);

  it('one export at a time per user: a second while one runs is 409; after it ends, another may start', async () => {
    const first = await exportRequest(ana);
    expect(first.status).toBe(200);
    const reader = first.body!.getReader();
    await reader.read(); // started, not finished
    const second = await exportRequest(ana);
    expectError({ status: second.status, headers: second.headers, body: await second.json(), text: '', ms: 0 }, 'conflict');
    // Someone else's export is not blocked.
    const other = await exportRequest(ben);
    expect(other.status).toBe(200);
    await other.arrayBuffer();
    // Read the first one to its end; then a new one may start.
    for (;;) if ((await reader.read()).done) break;
    await expect
      .poll(async () => {
        const again = await exportRequest(ana);
        await again.body?.cancel();
        return again.status;
      }, { timeout: 10_000 })
      .toBe(200);
  }, 120_000);
});
