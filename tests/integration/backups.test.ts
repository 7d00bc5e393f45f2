/**
 * Backups, end to end with the real commands: `npm run backup` while clients are sending (the running server takes
 * it), `npm run restore` into a fresh DATA_DIR (and a fresh PostgreSQL database when DATABASE_URL is set), then a
 * server on the restored data: every message acknowledged before the backup began is there once, every file is
 * byte-identical, and the instance works. Also BACKUP_SCHEDULE / BACKUP_KEEP.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { connectSocket, createToken, registerUser, request, type ClientSocket } from '../helpers/api';
import { freshDatabase, readHistory, runScript, startSending, type FreshDatabase } from '../helpers/ops';
import { startServer, type RunningServer } from '../helpers/server';

const tmp = mkdtempSync(path.join(tmpdir(), 'chattrix-backup-test-'));
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  rmSync(tmp, { recursive: true, force: true });
});

async function uploadFile(url: string, token: string, name: string, data: Buffer): Promise<{ id: string; url: string; thumbnailUrl?: string }> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(data)]), name);
  const res = await fetch(new URL('/api/v1/uploads', url), { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const body = (await res.json()) as any;
  if (res.status !== 201) throw new Error(`upload: ${res.status} ${JSON.stringify(body)}`);
  return body.attachment;
}

async function bytes(url: string, token: string, pathname: string): Promise<Buffer> {
  const res = await fetch(new URL(pathname, url), { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`GET ${pathname}: ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

describe('npm run backup / npm run restore', () => {
  it('backs up while clients send; a fresh instance restored from it has every acknowledged message and every file', async () => {
    const sourceDb: FreshDatabase = await freshDatabase('bksrc');
    cleanups.push(sourceDb.drop);
    const sourceDir = path.join(tmp, 'source');
    const dbEnv = { DATABASE_URL: sourceDb.url };
    let server: RunningServer = await startServer({ dataDir: sourceDir, env: dbEnv });
    cleanups.push(() => server.kill());

    const ana = await registerUser(server.url, { prefix: 'bkana' });
    const ben = await registerUser(server.url, { prefix: 'bkben' });
    const anaToken = (await createToken(server.url, ana)).token;
    const benToken = (await createToken(server.url, ben)).token;
    const dm = await request(server.url, '/api/v1/conversations', { method: 'POST', token: anaToken, body: { kind: 'direct', userId: ben.id } });
    const conversationId = dm.body.conversation.id as string;

    // Files: an image (re-encoded, with a thumbnail), a text file and a PDF, sent in a message.
    const png = await sharp({ create: { width: 96, height: 64, channels: 3, background: { r: 200, g: 30, b: 90 } } })
      .composite([{ input: randomBytes(32 * 32 * 3), raw: { width: 32, height: 32, channels: 3 }, left: 10, top: 10 }])
      .png()
      .toBuffer();
    const text = Buffer.from(`backup me ${randomBytes(600).toString('hex')}\n`);
    const pdf = Buffer.from(`%PDF-1.4\n% ${randomBytes(200).toString('hex')}\n%%EOF\n`);
    const files = [
      await uploadFile(server.url, anaToken, 'photo.png', png),
      await uploadFile(server.url, anaToken, 'notes.txt', text),
      await uploadFile(server.url, anaToken, 'paper.pdf', pdf),
    ];
    const sent = await request(server.url, `/api/v1/conversations/${conversationId}/messages`, {
      method: 'POST',
      token: anaToken,
      body: { body: 'three files', attachmentIds: files.map((f) => f.id) },
    });
    expect(sent.status, sent.text).toBe(201);
    const originals = new Map<string, Buffer>();
    for (const f of files) {
      originals.set(f.url, await bytes(server.url, benToken, f.url));
      if (f.thumbnailUrl) originals.set(f.thumbnailUrl, await bytes(server.url, benToken, f.thumbnailUrl));
    }
    expect(originals.size).toBe(4);

    // Clients keep sending through the backup.
    const sockets: ClientSocket[] = [await connectSocket(server.url, { token: anaToken }), await connectSocket(server.url, { token: benToken })];
    const senders = sockets.map((s, i) => startSending(s, conversationId, { window: 3, tag: `bk${i}` }));
    while (senders.reduce((n, s) => n + s.acked.size, 0) < 100) await new Promise((r) => setTimeout(r, 20));
    const ackedBefore = senders.flatMap((s) => [...s.acked.keys()]);
    const archive = path.join(tmp, 'chattrix.tar.gz');
    const backup = await runScript('backup', ['--out', archive], { DATA_DIR: sourceDir, ...dbEnv });
    const ackedDuring = senders.reduce((n, s) => n + s.acked.size, 0) - ackedBefore.length;
    for (const s of senders) await s.stop();
    for (const s of sockets) s.close();
    expect(backup.code, backup.output).toBe(0);
    expect(backup.output).toContain('by the running server');
    expect(ackedDuring).toBeGreaterThan(0); // the server kept taking writes while it wrote the archive
    expect(senders.flatMap((s) => s.errors)).toEqual([]);
    const secrets = readFileSync(path.join(sourceDir, 'secrets.json'), 'utf8');
    expect(await server.stop()).toBe(0);

    // Restore into an empty DATA_DIR (and an empty PostgreSQL database).
    const targetDb = await freshDatabase('bkdst');
    cleanups.push(targetDb.drop);
    const targetDir = path.join(tmp, 'target');
    const targetEnv = { DATA_DIR: targetDir, DATABASE_URL: targetDb.url };
    const restore = await runScript('restore', [archive, '--with-secrets'], targetEnv);
    expect(restore.code, restore.output).toBe(0);
    expect(readFileSync(path.join(targetDir, 'secrets.json'), 'utf8')).toBe(secrets);
    // A second restore into the same (no longer empty) target is refused.
    const again = await runScript('restore', [archive], targetEnv);
    expect(again.code).toBe(1);
    expect(again.output).toMatch(/not empty|already holds/);

    server = await startServer({ dataDir: targetDir, env: { DATABASE_URL: targetDb.url } });
    const history = await readHistory(server.url, anaToken, conversationId);
    const count = new Map<string, number>();
    for (const m of history) if (m.clientId) count.set(m.clientId, (count.get(m.clientId) ?? 0) + 1);
    for (const clientId of ackedBefore) expect(count.get(clientId), clientId).toBe(1);
    expect(history.find((m) => m.body === 'three files')?.attachments).toHaveLength(3);
    for (const [pathname, original] of originals) expect((await bytes(server.url, benToken, pathname)).equals(original), pathname).toBe(true);

    // The restored instance works: sign-in tokens, sends, new accounts, readiness.
    const next = await request(server.url, `/api/v1/conversations/${conversationId}/messages`, { method: 'POST', token: benToken, body: { body: 'after restore' } });
    expect(next.status, next.text).toBe(201);
    expect(next.body.message.seq).toBeGreaterThan(Math.max(...history.map((m) => m.seq)));
    await registerUser(server.url, { prefix: 'bknew' });
    expect((await request(server.url, '/readyz')).status).toBe(200);
    expect(await server.stop()).toBe(0);
  }, 240_000);

  it('refuses an archive that is not a Chattrix backup', async () => {
    const junk = path.join(tmp, 'junk.tar.gz');
    const { gzipSync } = await import('node:zlib');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(junk, gzipSync(Buffer.alloc(2048, 7)));
    const dir = path.join(tmp, 'junk-target');
    const r = await runScript('restore', [junk], { DATA_DIR: dir, DATABASE_URL: undefined });
    expect(r.code).toBe(1);
    expect(r.output).toMatch(/not a Chattrix backup/);
  }, 180_000);
});

describe('BACKUP_SCHEDULE and BACKUP_KEEP', () => {
  it('takes backups on the schedule into DATA_DIR/backups and keeps the newest BACKUP_KEEP', async () => {
    const db = await freshDatabase('bksched');
    cleanups.push(db.drop);
    const dataDir = path.join(tmp, 'scheduled');
    const server = await startServer({ dataDir, env: { DATABASE_URL: db.url, BACKUP_SCHEDULE: '*/2 * * * * *', BACKUP_KEEP: '2' } });
    cleanups.push(() => server.kill());
    await registerUser(server.url, { prefix: 'bksch' });
    // Sentinel: the server's own log line for the third backup; then exactly two are kept.
    const deadline = Date.now() + 90_000;
    while ((server.logs().match(/scheduled backup chattrix-/g) ?? []).length < 3) {
      if (Date.now() > deadline) throw new Error(`fewer than 3 scheduled backups:\n${server.logs()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const kept = readdirSync(path.join(dataDir, 'backups')).filter((n) => n.endsWith('.tar.gz'));
    expect(kept.length).toBe(2);
    expect(existsSync(path.join(dataDir, 'backups', kept[0]!))).toBe(true);
    expect(await server.stop()).toBe(0);
  }, 150_000);

  it('a malformed BACKUP_SCHEDULE stops the server at start with a message naming it', async () => {
    await expect(startServer({ env: { BACKUP_SCHEDULE: 'every tuesday' }, timeoutMs: 30_000 })).rejects.toThrow(/BACKUP_SCHEDULE/);
  }, 180_000);
});
