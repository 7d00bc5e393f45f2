/**
 * `user:updated`: a new display name or photo reaches the people who share a conversation with the person, live
 * (a direct conversation, and the public channel everyone is in).
 */
import { afterEach, expect, inject, it } from 'vitest';
import { connectSocket, createToken, nextEvent, registerUser, request, type ClientSocket } from '../helpers/api';

const baseUrl = inject('baseUrl');
const open: ClientSocket[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

it('a new display name and photo reach the people who share a conversation, live', async () => {
  const [alice, bob, carol] = await Promise.all([
    registerUser(baseUrl, { prefix: 'uua' }),
    registerUser(baseUrl, { prefix: 'uub' }),
    registerUser(baseUrl, { prefix: 'uuc' }),
  ]);
  const [ta, tb, tc] = await Promise.all([createToken(baseUrl, alice), createToken(baseUrl, bob), createToken(baseUrl, carol)]);
  const auth = (t: string) => ({ authorization: `Bearer ${t}` });
  const dm = await request(baseUrl, '/api/v1/conversations', { method: 'POST', headers: auth(ta.token), body: { kind: 'direct', userId: bob.id } });
  expect(dm.status).toBe(201);

  const bobSocket = await connectSocket(baseUrl, { token: tb.token });
  const carolSocket = await connectSocket(baseUrl, { token: tc.token });
  open.push(bobSocket, carolSocket);

  const carolSeen = nextEvent<{ user: { id: string; displayName: string } }>(carolSocket, 'user:updated', (p) => p.user.id === alice.id);
  const seen = nextEvent<{ user: { id: string; displayName: string; avatarUrl: string | null } }>(bobSocket, 'user:updated', (p) => p.user.id === alice.id);
  const patch = await request(baseUrl, '/api/v1/me', { method: 'PATCH', headers: auth(ta.token), body: { displayName: 'Alice Renamed' } });
  expect(patch.status).toBe(200);
  const ev = await seen;
  expect(ev.user).toMatchObject({ id: alice.id, username: alice.username, displayName: 'Alice Renamed', avatarUrl: null });

  // A photo: the event carries the new avatar URL.
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
    'base64',
  );
  const photoSeen = nextEvent<{ user: { id: string; avatarUrl: string | null } }>(bobSocket, 'user:updated', (p) => p.user.id === alice.id && !!p.user.avatarUrl);
  const form = new FormData();
  form.append('file', new Blob([png], { type: 'image/png' }), 'a.png');
  const put = await fetch(`${baseUrl}/api/v1/me/avatar`, { method: 'PUT', headers: auth(ta.token), body: form });
  expect(put.status, await put.text()).toBe(200);
  expect((await photoSeen).user.avatarUrl).toMatch(new RegExp(`^/api/v1/users/${alice.id}/avatar`));

  // Carol shares only the public channel with Alice: a channel is a conversation too, so she hears it as well.
  expect((await carolSeen).user.displayName).toBe('Alice Renamed');
});
