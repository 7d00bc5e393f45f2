/**
 * Message retention on a server of its own: messages are written at three moments (the server's clock set 40 days
 * and 3 days back, then the real one: tests/fixtures/clock-offset.mjs dates their ids, which sort by time), the
 * site keeps 30 days, one channel keeps everything and one keeps 2 days. After a restart the background job
 * deletes exactly what is older than each period, with its files; a thread root with a recent reply stays.
 * Only site admins set retention, and bad values get the contract's error.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, registerUser, request, sleep, type TestUser } from '../helpers/api';
import { expectError } from '../helpers/errors';
import { freshDatabase, readHistory, type FreshDatabase } from '../helpers/ops';
import { startServer, type RunningServer } from '../helpers/server';

const DAY = 24 * 3600_000;

describe('message retention (own server)', () => {
  let db: FreshDatabase;
  let dataDir: string;
  let server: RunningServer | undefined;
  type Person = TestUser & { token: string };
  let admin: Person;
  let member: Person;
  const ids: Record<string, string> = {};
  let fileKeyCount = 0;

  const start = async (clockOffsetMs = 0) => {
    server = await startServer({ dataDir, clockOffsetMs, env: { DATABASE_URL: db.url } });
    return server.url;
  };
  const stop = async () => {
    await server?.stop();
    server = undefined;
  };
  const send = async (url: string, who: Person, conversationId: string, body: string, extra: Record<string, unknown> = {}) => {
    const res = await request(url, `/api/v1/conversations/${conversationId}/messages`, { method: 'POST', token: who.token, body: { body, ...extra } });
    expect(res.status, res.text).toBe(201);
    ids[body] = res.body.message.id;
    return res.body.message;
  };
  const filesOnDisk = (): string[] => {
    const out: string[] = [];
    const walk = (dir: string) => {
      if (!existsSync(dir)) return;
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(path.join(dir, e.name));
        else out.push(path.join(dir, e.name));
      }
    };
    const root = path.join(dataDir, 'uploads');
    walk(root);
    return out.map((f) => path.relative(root, f)).filter((f) => !f.startsWith(`tmp${path.sep}`));
  };

  beforeAll(async () => {
    db = await freshDatabase('retention');
    dataDir = mkdtempSync(path.join(tmpdir(), 'chattrix-retention-'));

    // 40 days ago: the first account (the site's admin), a member, two channels, and the oldest messages.
    let url = await start(-40 * DAY);
    const person = async (prefix: string): Promise<Person> => {
      const u = await registerUser(url, { prefix });
      return { ...u, token: (await createToken(url, u)).token };
    };
    admin = await person('retadm');
    member = await person('retmem');
    for (const name of ['keepall', 'short']) {
      const res = await request(url, '/api/v1/conversations', { method: 'POST', token: admin.token, body: { kind: 'channel', title: `${name}-${Date.now().toString(36)}` } });
      expect(res.status, res.text).toBe(201);
      ids[name] = res.body.conversation.id;
      expect((await request(url, `/api/v1/conversations/${ids[name]}/join`, { method: 'POST', token: member.token })).status).toBe(200);
    }
    await send(url, admin, 'general', 'general 40d');
    const r1 = await send(url, admin, 'general', 'root 40d, replies 40d');
    await send(url, member, 'general', 'reply 40d', { threadId: r1.id });
    await send(url, admin, 'general', 'root 40d, reply now');
    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3366cc' } }).png().toBuffer();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(png)]), 'old.png');
    const up = await fetch(new URL('/api/v1/uploads', url), { method: 'POST', headers: { authorization: `Bearer ${admin.token}` }, body: form });
    expect(up.status).toBe(201);
    const attachment = ((await up.json()) as { attachment: { id: string; url: string } }).attachment;
    ids['file url'] = attachment.url;
    await send(url, admin, 'general', 'file 40d', { attachmentIds: [attachment.id] });
    fileKeyCount = filesOnDisk().length;
    expect(fileKeyCount).toBeGreaterThanOrEqual(2); // the image and its thumbnail
    await send(url, admin, ids.keepall!, 'keepall 40d');
    await send(url, admin, ids.short!, 'short 40d');
    await stop();

    // 3 days ago.
    url = await start(-3 * DAY);
    await send(url, member, 'general', 'general 3d');
    await send(url, admin, ids.short!, 'short 3d');
    await stop();

    // Now: a reply to the old root, fresh messages, and the settings (site 30 days, one channel all, one 2 days).
    url = await start();
    await send(url, member, 'general', 'reply now', { threadId: ids['root 40d, reply now'] });
    await send(url, member, 'general', 'general now');
    await send(url, admin, ids.short!, 'short now');
    const site = await request(url, '/api/v1/admin/settings', { method: 'PATCH', token: admin.token, body: { retentionDays: 30 } });
    expect(site.status, site.text).toBe(200);
    expect(site.body.settings.retentionDays).toBe(30);
    for (const [channel, retentionDays] of [[ids.keepall!, 0], [ids.short!, 2]] as const) {
      const res = await request(url, `/api/v1/conversations/${channel}`, { method: 'PATCH', token: admin.token, body: { retentionDays } });
      expect(res.status, res.text).toBe(200);
      expect(res.body.conversation.retentionDays).toBe(retentionDays);
    }
    await stop();
  }, 240_000);

  afterAll(async () => {
    await stop();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('only site admins set retention; bad values get the error shape and change nothing', async () => {
    const url = await start();
    try {
      await expectError(await request(url, `/api/v1/conversations/${ids.short}`, { method: 'PATCH', token: member.token, body: { retentionDays: 0 } }), 'forbidden');
      await expectError(await request(url, '/api/v1/admin/settings', { method: 'PATCH', token: member.token, body: { retentionDays: 1 } }), 'forbidden');
      for (const retentionDays of [0, -1, 1.5, '30', 36501]) {
        await expectError(await request(url, '/api/v1/admin/settings', { method: 'PATCH', token: admin.token, body: { retentionDays } }), 'bad_request');
      }
      await expectError(await request(url, `/api/v1/conversations/${ids.short}`, { method: 'PATCH', token: admin.token, body: { retentionDays: -1 } }), 'bad_request');
      const dm = await request(url, '/api/v1/conversations', { method: 'POST', token: admin.token, body: { kind: 'direct', userId: member.id } });
      await expectError(await request(url, `/api/v1/conversations/${dm.body.conversation.id}`, { method: 'PATCH', token: admin.token, body: { retentionDays: 5 } }), 'bad_request');
      expect((await request(url, '/api/v1/admin/settings', { token: admin.token })).body.settings.retentionDays).toBe(30);
      expect((await request(url, `/api/v1/conversations/${ids.short}`, { token: member.token })).body.conversation.retentionDays).toBe(2);
    } finally {
      await stop();
    }
  }, 120_000);

  it('after a restart the background job deletes exactly what is older than each period, with its files', async () => {
    const url = await start();
    try {
      const bodies = async (conversationId: string) =>
        (await readHistory(url, admin.token, conversationId)).filter((m) => m.kind === 'user').map((m) => m.body as string);
      // The job runs a few seconds after each start (the previous test's server may have begun it): wait for both
      // periods' deletions, then check exactly what is left.
      const pending = async () => (await bodies('general')).includes('general 40d') || (await bodies(ids.short!)).some((b) => b !== 'short now');
      for (let i = 0; await pending(); i++) {
        expect(i, 'retention did not run within 60 s').toBeLessThan(120);
        await sleep(500);
      }
      expect(await bodies('general')).toEqual(['root 40d, reply now', 'general 3d', 'general now']);
      expect(await bodies(ids.keepall!)).toEqual(['keepall 40d']);
      expect(await bodies(ids.short!)).toEqual(['short now']);

      // The thread whose reply is recent keeps its root and that reply; the old thread is gone, root and reply.
      const kept = await request(url, `/api/v1/messages/${ids['root 40d, reply now']}/thread`, { token: member.token });
      expect(kept.status, kept.text).toBe(200);
      expect(kept.body.root.body).toBe('root 40d, reply now');
      expect(kept.body.messages.map((m: { body: string }) => m.body)).toEqual(['reply now']);
      for (const gone of ['root 40d, replies 40d', 'reply 40d', 'file 40d']) {
        await expectError(await request(url, `/api/v1/messages/${ids[gone]}/thread`, { token: member.token }), 'not_found');
      }
      // The old message's file: gone from storage and from the API.
      expect((await fetch(new URL(ids['file url']!, url), { headers: { authorization: `Bearer ${admin.token}` } })).status).toBe(404);
      expect(filesOnDisk()).toEqual([]);
      // Search finds nothing of what was deleted.
      const found = await request(url, `/api/v1/search?q=${encodeURIComponent('40d')}`, { token: admin.token });
      expect(found.status, found.text).toBe(200);
      expect(found.body.results.map((r: { message: { body: string } }) => r.message.body).sort()).toEqual(['keepall 40d', 'root 40d, reply now']);
    } finally {
      await stop();
    }
  }, 180_000);
});
