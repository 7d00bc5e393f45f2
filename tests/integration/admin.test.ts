/**
 * The admin API (/api/v1/admin/…), on a server of its own (its first account is the site admin): every action
 * and its permission (a non-admin gets 403 and no admin data), deactivation ends sockets at once and refuses
 * sign-in, tokens and sessions; registration modes and invitations (expiry, uses, revoked, default conversations);
 * a one-time password reset link works once; reports of messages and what an admin does with them; the overview
 * (people, messages per day, storage, sockets per node).
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectError, connectSocket, createToken, credentialsCallback, login, nextEvent, registerUser, request, uniqueUsername, type TestUser } from '../helpers/api';
import { freshDatabase, type FreshDatabase } from '../helpers/ops';
import { startServer, type RunningServer } from '../helpers/server';

let server: RunningServer;
let db: FreshDatabase;
let admin: TestUser & { token: string };
let plain: TestUser & { token: string };
const url = () => server.url;

beforeAll(async () => {
  db = await freshDatabase('admin');
  server = await startServer({ env: { DATABASE_URL: db.url } });
  const a = await registerUser(url(), { prefix: 'adm' });
  admin = { ...a, token: (await createToken(url(), a)).token };
  const p = await registerUser(url(), { prefix: 'plain' });
  plain = { ...p, token: (await createToken(url(), p)).token };
});
afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

const adminCall = (path: string, method = 'GET', body?: unknown, token = admin.token) => request(url(), `/api/v1/admin${path}`, { method, token, body });

describe('permissions', () => {
  it('every admin endpoint answers 403 (error shape, no data) to a signed-in non-admin and 401 to nobody', async () => {
    const calls: [string, string, unknown?][] = [
      ['/users', 'GET'],
      ['/users', 'POST', { username: uniqueUsername('x'), password: 'password123' }],
      [`/users/${admin.id}`, 'PATCH', { isAdmin: false }],
      [`/users/${admin.id}/password-reset`, 'POST'],
      ['/settings', 'GET'],
      ['/settings', 'PATCH', { registration: 'open' }],
      ['/invitations', 'GET'],
      ['/invitations', 'POST', {}],
      ['/invitations/whatever1234', 'DELETE'],
      ['/backups', 'GET'],
      ['/backups', 'POST'],
      ['/reports', 'GET'],
      ['/audit', 'GET'],
      ['/overview', 'GET'],
      ['/site-icon', 'POST'],
      ['/site-icon', 'DELETE'],
      ['/reports/whatever1234', 'POST', { action: 'dismiss' }],
    ];
    for (const [path, method, body] of calls) {
      const res = await adminCall(path, method, body, plain.token);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
      expect(res.text).not.toContain(admin.username);
      const anon = await request(url(), `/api/v1/admin${path}`, { method, body });
      expect(anon.status, `${method} ${path} anonymous`).toBe(401);
    }
    // The console page is not shown to a non-admin.
    const cookie = await login(url(), plain);
    expect((await request(url(), '/admin', { cookie })).status).toBe(404);
    const adminCookie = await login(url(), admin);
    expect((await request(url(), '/admin', { cookie: adminCookie })).status).toBe(200);
  });
});

describe('users', () => {
  it('lists, searches and filters; makes and removes admins; the last admin cannot be demoted', async () => {
    const list = await adminCall(`/users?q=${encodeURIComponent(plain.username)}`);
    expect(list.status, list.text).toBe(200);
    expect(list.body.users.map((u: any) => u.id)).toEqual([plain.id]);
    const admins = await adminCall('/users?filter=admins');
    expect(admins.body.users.map((u: any) => u.id)).toEqual([admin.id]);
    expect((await adminCall('/users?filter=nonsense')).status).toBe(400);

    expect((await adminCall(`/users/${admin.id}`, 'PATCH', { isAdmin: false })).status).toBe(409);
    const made = await adminCall(`/users/${plain.id}`, 'PATCH', { isAdmin: true });
    expect(made.body.user.isAdmin).toBe(true);
    expect((await request(url(), '/api/v1/admin/users', { token: plain.token })).status).toBe(200);
    expect((await adminCall(`/users/${plain.id}`, 'PATCH', { isAdmin: false })).body.user.isAdmin).toBe(false);
    expect((await request(url(), '/api/v1/admin/users', { token: plain.token })).status).toBe(403);
    expect((await adminCall('/users/nosuchuser1', 'PATCH', { isAdmin: true })).status).toBe(404);
  });

  it('creates an account that can sign in', async () => {
    const username = uniqueUsername('made');
    const res = await adminCall('/users', 'POST', { username, password: 'made by admin 1' });
    expect(res.status, res.text).toBe(201);
    expect(res.body.user.username).toBe(username);
    expect((await createToken(url(), { username, password: 'made by admin 1' })).token).toMatch(/^ctx_/);
    expect((await adminCall('/users', 'POST', { username, password: 'made by admin 1' })).status).toBe(409);
  });

  it('deactivation ends sockets at once and refuses sign-in, tokens and sessions; messages stay; reactivation restores', async () => {
    const victim = await registerUser(url(), { prefix: 'victim' });
    const token = (await createToken(url(), victim)).token;
    const cookie = await login(url(), victim);
    const dm = await request(url(), '/api/v1/conversations', { method: 'POST', token, body: { kind: 'direct', userId: admin.id } });
    await request(url(), `/api/v1/conversations/${dm.body.conversation.id}/messages`, { method: 'POST', token, body: { body: 'before deactivation' } });
    const socket = await connectSocket(url(), { token });
    const gone = new Promise<string>((resolve) => socket.once('disconnect', (r) => resolve(r)));

    const res = await adminCall(`/users/${victim.id}`, 'PATCH', { deactivated: true });
    expect(res.status, res.text).toBe(200);
    expect(res.body.user.deactivatedAt).toBeTruthy();
    expect(await gone).toBe('io server disconnect');
    expect((await request(url(), '/api/v1/me', { token })).status).toBe(401);
    expect((await request(url(), '/api/v1/me', { cookie })).status).toBe(401);
    expect((await connectError(url(), { token })).message).toBe('unauthorized');
    const signIn = await credentialsCallback(url(), victim.username, victim.password);
    expect(signIn.cookies['next-auth.session-token']).toBeUndefined();
    expect((await request(url(), '/api/v1/auth/tokens', { method: 'POST', body: { username: victim.username, password: victim.password, name: 'x' } })).status).toBe(401);
    const history = await request(url(), `/api/v1/conversations/${dm.body.conversation.id}/messages`, { token: admin.token });
    expect(history.body.messages.some((m: any) => m.body === 'before deactivation')).toBe(true);
    expect((await adminCall('/users?filter=deactivated')).body.users.map((u: any) => u.id)).toContain(victim.id);

    expect((await adminCall(`/users/${victim.id}`, 'PATCH', { deactivated: false })).body.user.deactivatedAt).toBeNull();
    expect((await request(url(), '/api/v1/me', { token })).status).toBe(200);
    socket.close();
  });

  it('a password reset link works once, within the hour', async () => {
    const forgetful = await registerUser(url(), { prefix: 'forgot' });
    const issued = await adminCall(`/users/${forgetful.id}/password-reset`, 'POST');
    expect(issued.status, issued.text).toBe(201);
    const { token, url: link, expiresAt } = issued.body.reset;
    expect(link).toContain(`/reset-password/${token}`);
    expect(new Date(expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(3600_000);
    expect((await request(url(), link.replace(/^https?:\/\/[^/]+/, ''))).status).toBe(200);
    const ok = await request(url(), '/api/v1/auth/password-reset', { method: 'POST', body: { token, password: 'a brand new secret' } });
    expect(ok.status, ok.text).toBe(204);
    expect((await createToken(url(), { username: forgetful.username, password: 'a brand new secret' })).token).toBeTruthy();
    const again = await request(url(), '/api/v1/auth/password-reset', { method: 'POST', body: { token, password: 'another secret 2' } });
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('not_found');
    expect((await request(url(), '/api/v1/auth/password-reset', { method: 'POST', body: { token: 'rst_not_a_real_one', password: 'whatever12' } })).status).toBe(404);
  });
});

describe('registration and invitations', () => {
  it('closed: nobody registers; invite: only with a valid invitation (uses, revoked), which adds its conversations; open again', async () => {
    const set = async (registration: string) => expect((await adminCall('/settings', 'PATCH', { registration })).body.settings.registration).toBe(registration);
    expect((await adminCall('/settings', 'PATCH', { registration: 'sometimes' })).status).toBe(400);

    await set('closed');
    const closed = await request(url(), '/api/v1/auth/register', { method: 'POST', body: { username: uniqueUsername('cl'), password: 'password123' } });
    expect(closed.status).toBe(403);
    // Admins still create accounts.
    expect((await adminCall('/users', 'POST', { username: uniqueUsername('cl'), password: 'password123' })).status).toBe(201);

    await set('invite');
    const noInvite = await request(url(), '/api/v1/auth/register', { method: 'POST', body: { username: uniqueUsername('ni'), password: 'password123' } });
    expect(noInvite.status).toBe(403);
    const group = await request(url(), '/api/v1/conversations', { method: 'POST', token: admin.token, body: { kind: 'group', title: 'Welcome', memberIds: [] } });
    expect(group.status, group.text).toBe(201);
    const created = await adminCall('/invitations', 'POST', { maxUses: 2, expiresInHours: 1, defaultConversationIds: [group.body.conversation.id], note: 'two people' });
    expect(created.status, created.text).toBe(201);
    const { code, url: link, id } = created.body.invitation;
    expect(link).toContain(`/register?invite=${code}`);
    expect((await request(url(), `/register?invite=${code}`)).status).toBe(200);

    const first = await registerUser(url(), { prefix: 'inv' }).catch(() => null);
    expect(first).toBeNull(); // without the code: refused
    const reg = (username: string, invitation: string) => request(url(), '/api/v1/auth/register', { method: 'POST', body: { username, password: 'password123', invitation } });
    const one = uniqueUsername('inv');
    expect((await reg(one, code)).status).toBe(201);
    const oneToken = (await createToken(url(), { username: one, password: 'password123' })).token;
    const convs = await request(url(), '/api/v1/conversations', { token: oneToken });
    expect(convs.body.conversations.map((c: any) => c.id)).toContain(group.body.conversation.id);
    expect((await reg(uniqueUsername('inv'), code)).status).toBe(201);
    expect((await reg(uniqueUsername('inv'), code)).status).toBe(403); // used up
    expect((await reg(uniqueUsername('inv'), 'inv_not_a_real_code')).status).toBe(403);

    const other = await adminCall('/invitations', 'POST', {});
    expect((await adminCall(`/invitations/${other.body.invitation.id}`, 'DELETE')).status).toBe(204);
    expect((await reg(uniqueUsername('inv'), other.body.invitation.code)).status).toBe(403); // revoked
    expect((await adminCall(`/invitations/${other.body.invitation.id}`, 'DELETE')).status).toBe(404);
    const listed = await adminCall('/invitations');
    const mine = listed.body.invitations.find((i: any) => i.id === id);
    expect(mine.uses).toBe(2);
    expect(mine.code).toBeUndefined(); // shown once, at creation
    expect(listed.body.invitations.find((i: any) => i.id === other.body.invitation.id).revokedAt).toBeTruthy();

    await set('open');
    expect((await request(url(), '/api/v1/auth/register', { method: 'POST', body: { username: uniqueUsername('op'), password: 'password123' } })).status).toBe(201);
  });
});

describe('moderation: reports', () => {
  it('a reader reports a message once; the admin sees it in context and warns, deletes, dismisses or deactivates', async () => {
    const mk = async (prefix: string) => {
      const u = await registerUser(url(), { prefix });
      return { ...u, token: (await createToken(url(), u)).token };
    };
    const [ana, ben, cat] = await Promise.all([mk('mdana'), mk('mdben'), mk('mdcat')]);
    const group = await request(url(), '/api/v1/conversations', { method: 'POST', token: ana.token, body: { kind: 'group', title: 'Moderated', memberIds: [ben.id] } });
    const cid = group.body.conversation.id;
    const say = async (who: { token: string }, body: string) =>
      (await request(url(), `/api/v1/conversations/${cid}/messages`, { method: 'POST', token: who.token, body: { body } })).body.message.id as string;
    await say(ben, 'before one');
    await say(ana, 'before two');
    const bad = await say(ana, 'buy cheap watches now');
    await say(ben, 'after one');
    const report = (who: { token: string }, id: string, body: unknown = { reason: 'spam' }) =>
      request(url(), `/api/v1/messages/${id}/report`, { method: 'POST', token: who.token, body });

    // Someone who cannot read it learns nothing; a reason is needed; not your own; once per person.
    expect((await report(cat, bad)).status).toBe(404);
    expect((await report(ben, bad, { reason: '  ' })).status).toBe(400);
    expect((await report(ana, bad)).status).toBe(400);
    const made = await report(ben, bad, { reason: 'spam, selling watches' });
    expect(made.status, made.text).toBe(201);
    expect(made.body.report).toMatchObject({ messageId: bad, status: 'open', action: null });
    expect((await report(ben, bad)).status).toBe(409);

    const open = await adminCall('/reports?status=open');
    expect(open.status, open.text).toBe(200);
    const r = open.body.reports.find((x: any) => x.id === made.body.report.id);
    expect(r).toMatchObject({ reason: 'spam, selling watches', reportCount: 1, reporter: { id: ben.id }, conversation: { id: cid, kind: 'group', title: 'Moderated' } });
    expect(r.message.body).toBe('buy cheap watches now');
    expect(r.before.map((m: any) => m.body)).toEqual(['before one', 'before two']);
    expect(r.after.map((m: any) => m.body)).toEqual(['after one']);

    // Warn: Ana gets a direct message from the admin quoting it; the report is closed, and closed only once.
    const warned = await adminCall(`/reports/${r.id}`, 'POST', { action: 'warn', note: 'No selling here, please.' });
    expect(warned.status, warned.text).toBe(200);
    expect(warned.body.report).toMatchObject({ status: 'resolved', action: 'warn' });
    expect((await adminCall(`/reports/${r.id}`, 'POST', { action: 'dismiss' })).status).toBe(409);
    expect((await adminCall(`/reports/${r.id}`, 'POST', { action: 'explode' })).status).toBe(400);
    const anaConvs = await request(url(), '/api/v1/conversations', { token: ana.token });
    const dm = anaConvs.body.conversations.find((c: any) => c.kind === 'direct' && c.members.some((m: any) => m.id === admin.id));
    expect(dm).toBeTruthy();
    const dmHistory = await request(url(), `/api/v1/conversations/${dm.id}/messages`, { token: ana.token });
    expect(dmHistory.body.messages.at(-1).body).toMatch(/^No selling here, please\.\n\n> buy cheap watches now$/);

    // Delete: the message is a tombstone for everyone.
    const again = await say(ana, 'buy more watches');
    const second = await report(ben, again);
    expect((await adminCall(`/reports/${second.body.report.id}`, 'POST', { action: 'delete' })).body.report).toMatchObject({ status: 'resolved', action: 'delete' });
    const gone = await request(url(), `/api/v1/messages/${again}`, { token: ben.token });
    expect(gone.body.message.deletedAt).toBeTruthy();
    expect(gone.body.message.body).toBe('');

    // Dismiss: the message stays; the report is listed as closed.
    const fine = await say(ana, 'watches are nice though');
    const third = await report(ben, fine, { reason: 'I do not like it' });
    expect((await adminCall(`/reports/${third.body.report.id}`, 'POST', { action: 'dismiss' })).body.report).toMatchObject({ status: 'dismissed', action: 'dismiss' });
    const closed = await adminCall('/reports?status=closed');
    expect(closed.body.reports.find((x: any) => x.id === third.body.report.id)).toMatchObject({ status: 'dismissed', resolvedBy: { id: admin.id } });
    expect((await adminCall('/reports?status=open')).body.reports.find((x: any) => x.messageId === fine)).toBeUndefined();
    expect((await request(url(), `/api/v1/messages/${fine}`, { token: ben.token })).body.message.body).toBe('watches are nice though');

    // Deactivate: the author can no longer sign in; their messages stay.
    const last = await say(ana, 'watches!!!');
    const fourth = await report(ben, last);
    expect((await adminCall(`/reports/${fourth.body.report.id}`, 'POST', { action: 'deactivate' })).body.report).toMatchObject({ status: 'resolved', action: 'deactivate' });
    expect((await request(url(), '/api/v1/conversations', { token: ana.token })).status).toBe(401);
    expect((await request(url(), `/api/v1/messages/${last}`, { token: ben.token })).body.message.body).toBe('watches!!!');

    // The audit log has each decision on Ana, newest first, with the admin's name; filters and pages work.
    const audit = await adminCall(`/audit?type=admin_*&userId=${ana.id}&limit=2`);
    expect(audit.status, audit.text).toBe(200);
    expect(audit.body.events.map((e: any) => e.type)).toEqual(['admin_report_resolved', 'admin_user_deactivated']);
    expect(audit.body.events[0]).toMatchObject({ user: { id: ana.id }, detail: { action: 'deactivate', byUsername: admin.username } });
    const more = await adminCall(`/audit?type=admin_*&userId=${ana.id}&limit=10&cursor=${audit.body.nextCursor}`);
    expect(more.body.events.map((e: any) => e.detail.action)).toEqual(['dismiss', 'delete', 'warn']);
    expect(more.body.nextCursor).toBeNull();
    expect((await adminCall('/audit?type=sign_in_failed')).body.events.every((e: any) => e.type === 'sign_in_failed')).toBe(true);
    expect((await adminCall('/audit?cursor=garbage')).status).toBe(400);
    expect((await adminCall('/audit?type=DROP TABLE')).status).toBe(400);
  });
});

describe('workspace settings', () => {
  it('site name, channel creation, default channels and the upload limit: validated, public where needed, and in force', async () => {
    const set = (patch: unknown) => adminCall('/settings', 'PATCH', patch);
    // Bad input: the contract's error shape, nothing changed.
    for (const bad of [{ siteName: '' }, { siteName: 'x'.repeat(61) }, { channelCreation: 'some' }, { maxUploadMB: 0 }, { maxUploadMB: 2.5 }, { defaultChannelIds: 'general' }, { nope: 1 }]) {
      const res = await set(bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.body.error.code).toBe('bad_request');
    }
    const before = (await adminCall('/settings')).body.settings;
    expect(before).toMatchObject({ siteName: 'Chattrix', channelCreation: 'everyone', defaultChannelIds: [] });

    // The public view of the settings needs no sign-in, and holds nothing else.
    const pub = await request(url(), '/api/v1/site');
    expect(pub.status).toBe(200);
    expect(Object.keys(pub.body.site).sort()).toEqual(['channelCreation', 'iconUrl', 'maxUploadBytes', 'registration', 'retentionDays', 'siteName']);

    // The site name titles pages and names the installed app.
    expect((await set({ siteName: 'Acme Chat' })).body.settings.siteName).toBe('Acme Chat');
    const manifest = await request(url(), '/manifest.webmanifest');
    expect(manifest.body).toMatchObject({ name: 'Acme Chat', short_name: 'Acme Chat' });
    expect((await request(url(), '/login')).text).toContain('<title>Sign in · Acme Chat</title>');
    expect((await request(url(), '/api/v1/site')).body.site.siteName).toBe('Acme Chat');

    // Default channels: only public channels that are not archived; each wrong one is named.
    const mkChannel = async (title: string, extra: Record<string, unknown> = {}) =>
      (await request(url(), '/api/v1/conversations', { method: 'POST', token: admin.token, body: { kind: 'channel', title, ...extra } })).body.conversation.id as string;
    const tag = Date.now().toString(36).slice(-5);
    const announce = await mkChannel(`announce-${tag}`);
    const secret = await mkChannel(`secret-${tag}`, { private: true });
    const old = await mkChannel(`old-${tag}`);
    expect((await request(url(), `/api/v1/conversations/${old}`, { method: 'PATCH', token: admin.token, body: { archived: true } })).status).toBe(200);
    const refused = await set({ defaultChannelIds: [announce, secret, old, '01aaaaaaaaaaaaaaaaaaaaaaaa'] });
    expect(refused.status).toBe(400);
    expect(refused.body.error.issues.map((i: { path: unknown[] }) => i.path)).toEqual([
      ['defaultChannelIds', 1],
      ['defaultChannelIds', 2],
      ['defaultChannelIds', 3],
    ]);
    expect((await set({ defaultChannelIds: [announce, announce] })).status).toBe(400);
    expect((await set({ defaultChannelIds: [announce] })).body.settings.defaultChannelIds).toEqual([announce]);
    // A message before they arrive: it is not handed to the newcomer as unread.
    expect((await request(url(), `/api/v1/conversations/${announce}/messages`, { method: 'POST', token: admin.token, body: { body: 'Welcome, everyone' } })).status).toBe(201);
    const newcomer = await registerUser(url(), { prefix: 'newc' });
    const nc = { ...newcomer, token: (await createToken(url(), newcomer)).token };
    const list = (await request(url(), '/api/v1/conversations', { token: nc.token })).body.conversations as { id: string; unreadCount: number }[];
    const joined = list.find((c) => c.id === announce);
    expect(joined, 'the newcomer is in the default channel').toBeTruthy();
    expect(joined?.unreadCount).toBe(0);
    expect(list.some((c) => c.id === secret || c.id === old)).toBe(false);
    // Accounts an admin creates join them too.
    const made = await adminCall('/users', 'POST', { username: uniqueUsername('made'), password: 'password123' });
    expect(made.status).toBe(201);
    const members = (await request(url(), `/api/v1/conversations/${announce}`, { token: admin.token })).body.conversation.members as { id: string }[];
    expect(members.map((m) => m.id)).toEqual(expect.arrayContaining([nc.id, made.body.user.id]));

    // Channel creation kept to admins: a member is refused, an admin is not; groups stay open.
    expect((await set({ channelCreation: 'admins' })).body.settings.channelCreation).toBe('admins');
    const refusedChannel = await request(url(), '/api/v1/conversations', { method: 'POST', token: plain.token, body: { kind: 'channel', title: `mine-${tag}` } });
    expect(refusedChannel.status).toBe(403);
    expect(refusedChannel.body.error.code).toBe('forbidden');
    expect((await request(url(), '/api/v1/channels?q=mine-', { token: plain.token })).body.channels).toEqual([]);
    expect((await request(url(), '/api/v1/conversations', { method: 'POST', token: plain.token, body: { kind: 'group', title: 'Still fine', memberIds: [] } })).status).toBe(201);
    expect(await mkChannel(`admins-${tag}`)).toBeTruthy();
    expect((await request(url(), '/api/v1/site')).body.site.channelCreation).toBe('admins');
    await set({ channelCreation: 'everyone' });
    expect((await request(url(), '/api/v1/conversations', { method: 'POST', token: plain.token, body: { kind: 'channel', title: `mine-${tag}` } })).status).toBe(201);

    // The upload limit: 1 MB refuses 1.5 MB with 413 and takes 0.5 MB.
    expect((await set({ maxUploadMB: 1 })).body.settings.maxUploadMB).toBe(1);
    expect((await request(url(), '/api/v1/site')).body.site.maxUploadBytes).toBe(1024 * 1024);
    const up = async (bytes: number) => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(Buffer.alloc(bytes, 'a'))], { type: 'text/plain' }), 'notes.txt');
      const res = await fetch(`${url()}/api/v1/uploads`, { method: 'POST', headers: { authorization: `Bearer ${plain.token}` }, body: form });
      return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
    };
    const big = await up(1.5 * 1024 * 1024);
    expect(big.status).toBe(413);
    expect(big.body.error).toMatchObject({ code: 'payload_too_large', message: 'Files can be at most 1 MB' });
    expect((await up(512 * 1024)).status).toBe(201);

    // Back as it was; every change is in the audit log under the admin's name.
    await set({ siteName: before.siteName, maxUploadMB: before.maxUploadMB, defaultChannelIds: [] });
    const audit = await adminCall('/audit?type=admin_settings_changed');
    expect(audit.status).toBe(200);
    expect(audit.body.events.length).toBeGreaterThanOrEqual(5);
    expect(audit.body.events.every((e: { user: { id: string } | null; userId?: string }) => (e.user?.id ?? e.userId) === admin.id)).toBe(true);
  });
});

describe('site icon', () => {
  const uploadIcon = async (data: Buffer, name: string, token = admin.token) => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(data)]), name);
    const res = await fetch(new URL('/api/v1/admin/site-icon', url()), { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    return { status: res.status, body: (await res.json()) as any };
  };
  const pngOf = async (url: string) => {
    const res = await fetch(new URL(url, server.url));
    const bytes = Buffer.from(await res.arrayBuffer());
    return { status: res.status, type: res.headers.get('content-type'), meta: res.status === 200 ? await sharp(bytes).metadata() : null };
  };

  it('an admin sets one (cut to a square at every size): the manifest, the pages and the public site use it; refused files change nothing; removed, the Chattrix icons are back', async () => {
    const wide = await sharp({ create: { width: 900, height: 600, channels: 3, background: '#2f9e44' } }).jpeg().toBuffer();
    expect((await uploadIcon(wide, 'icon.jpg', plain.token)).status).toBe(403);
    const bad = await uploadIcon(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'icon.png');
    expect([bad.status, bad.body.error.code]).toEqual([415, 'unsupported_media_type']);
    expect((await request(url(), '/api/v1/site')).body.site.iconUrl).toBeNull();

    const set = await uploadIcon(wide, 'icon.jpg');
    expect(set.status).toBe(200);
    expect(set.body.settings.iconId).toEqual(expect.any(String));
    const site = (await request(url(), '/api/v1/site')).body.site;
    expect(site.iconUrl).toMatch(/^\/api\/v1\/site\/icon\/192\?v=/);
    for (const size of [32, 180, 192, 512]) {
      const icon = await pngOf(site.iconUrl.replace('/192?', `/${size}?`));
      expect([icon.status, icon.type, icon.meta?.format, icon.meta?.width, icon.meta?.height]).toEqual([200, 'image/png', 'png', size, size]);
    }
    expect((await pngOf('/api/v1/site/icon/64')).status).toBe(404);
    const manifest = (await request(url(), '/manifest.webmanifest')).body;
    expect(manifest.icons.map((i: { src: string; sizes: string }) => `${i.sizes} ${i.src.split('?')[0]}`)).toEqual(['192x192 /api/v1/site/icon/192', '512x512 /api/v1/site/icon/512']);
    const page = await request(url(), '/login');
    expect(page.text).toContain('/api/v1/site/icon/32?v=');
    expect(page.text).toContain('/api/v1/site/icon/180?v=');

    // A second icon replaces the first (a new URL); the first's files are gone.
    const second = await uploadIcon(await sharp({ create: { width: 600, height: 600, channels: 4, background: '#e8590c' } }).png().toBuffer(), 'b.png');
    expect(second.status).toBe(200);
    const newUrl = (await request(url(), '/api/v1/site')).body.site.iconUrl;
    expect(newUrl).not.toBe(site.iconUrl);

    const removed = await adminCall('/site-icon', 'DELETE');
    expect([removed.status, removed.body.settings.iconId]).toEqual([200, null]);
    expect((await request(url(), '/api/v1/site')).body.site.iconUrl).toBeNull();
    expect((await pngOf(newUrl)).status).toBe(404);
    expect((await request(url(), '/manifest.webmanifest')).body.icons[0].src).toBe('/icons/icon-192.png');
  });
});

describe('backups', () => {
  it('an admin takes a backup now, one at a time (409 while one is being taken), and it is listed', async () => {
    const tries = await Promise.all(Array.from({ length: 4 }, () => adminCall('/backups', 'POST')));
    const made = tries.filter((r) => r.status === 201).map((r) => r.body.backup as { name: string; size: number });
    const refused = tries.filter((r) => r.status === 409);
    expect(made.length + refused.length, tries.map((r) => r.status).join(',')).toBe(4);
    expect(made.length).toBeGreaterThanOrEqual(1);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    for (const r of refused) expect(r.body.error.code).toBe('conflict');
    for (const b of made) {
      expect(b.name).toMatch(/^chattrix-\d{8}T\d{6}Z(-\d+)?\.tar\.gz$/);
      expect(b.size).toBeGreaterThan(0);
    }
    const listed = (await adminCall('/backups')).body.backups.map((b: { name: string }) => b.name);
    for (const b of made) expect(listed).toContain(b.name);
    // Once it is done, the next one is taken.
    const next = await adminCall('/backups', 'POST');
    expect(next.status).toBe(201);
    expect(made.map((b) => b.name)).not.toContain(next.body.backup.name);
  });
});

describe('overview', () => {
  type Overview = {
    users: { total: number; active7d: number; admins: number; bots: number; deactivated: number };
    messagesPerDay: { day: string; count: number }[];
    storage: { files: number; bytes: number };
    sockets: { total: number; nodes: { nodeId: string; sockets: number; self: boolean }[] };
  };
  const overview = async (): Promise<Overview> => {
    const res = await adminCall('/overview');
    expect(res.status, res.text).toBe(200);
    return res.body.overview;
  };
  const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

  it('a non-admin gets 403 in the error shape', async () => {
    const res = await request(url(), '/api/v1/admin/overview', { token: plain.token });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: { code: 'forbidden', message: expect.any(String) } });
  });

  it('people, 30 zero-filled UTC days ending today, stored files and sockets per node; new messages, files and sockets count', async () => {
    const before = await overview();
    expect(before.messagesPerDay).toHaveLength(30);
    const today = Date.now();
    expect(before.messagesPerDay[29]!.day).toBe(utcDay(today));
    expect(before.messagesPerDay[0]!.day).toBe(utcDay(today - 29 * 86_400_000));
    for (let i = 1; i < 30; i++) expect(Date.parse(before.messagesPerDay[i]!.day) - Date.parse(before.messagesPerDay[i - 1]!.day)).toBe(86_400_000);
    expect(before.messagesPerDay.every((d) => Number.isInteger(d.count) && d.count >= 0)).toBe(true);
    expect(before.users.total).toBeGreaterThanOrEqual(2);
    expect(before.users.admins).toBeGreaterThanOrEqual(1);

    // Sockets of two people (each online now), messages in a group, one with a file attached.
    const sockets = [await connectSocket(url(), { token: admin.token }), await connectSocket(url(), { token: plain.token }), await connectSocket(url(), { token: plain.token })];
    try {
      const group = await request(url(), '/api/v1/conversations', { method: 'POST', token: admin.token, body: { kind: 'group', title: 'Counted', memberIds: [plain.id] } });
      const cid = group.body.conversation.id as string;
      const send = (body: string, attachmentIds: string[] = []) =>
        request(url(), `/api/v1/conversations/${cid}/messages`, { method: 'POST', token: admin.token, body: { body, attachmentIds } });
      for (const body of ['one', 'two', 'three']) expect((await send(body)).status).toBe(201);
      const data = Buffer.alloc(4321, 'x');
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(data)], { type: 'text/plain' }), 'counted.txt');
      const up = await fetch(`${url()}/api/v1/uploads`, { method: 'POST', headers: { authorization: `Bearer ${admin.token}` }, body: form });
      expect(up.status).toBe(201);
      const { attachment } = (await up.json()) as { attachment: { id: string; size: number } };
      expect((await send('with a file', [attachment.id])).status).toBe(201);

      const after = await overview();
      // Other tests may add to these: at least what this one did.
      const [b, a] = [before.messagesPerDay[29]!, after.messagesPerDay[29]!];
      if (a.day === b.day) expect(a.count).toBeGreaterThanOrEqual(b.count + 4);
      expect(after.storage.files).toBeGreaterThanOrEqual(before.storage.files + 1);
      expect(after.storage.bytes).toBeGreaterThanOrEqual(before.storage.bytes + attachment.size);
      expect(after.sockets.total).toBeGreaterThanOrEqual(sockets.length);
      expect(after.sockets.nodes.filter((n) => n.self)).toHaveLength(1);
      expect(after.sockets.total).toBe(after.sockets.nodes.reduce((n, x) => n + x.sockets, 0));
      expect(after.users.active7d).toBeGreaterThanOrEqual(2);
      expect(after.users.active7d).toBeLessThanOrEqual(after.users.total - after.users.bots - after.users.deactivated);
    } finally {
      for (const s of sockets) s.close();
    }
  });
});
