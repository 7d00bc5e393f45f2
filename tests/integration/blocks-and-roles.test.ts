/**
 * Blocks reach groups and mentions, and a group always keeps an owner (shared server, REST as real clients).
 */
import { describe, expect, inject, it } from 'vitest';
import { createToken, registerUser, request, type TestUser } from '../helpers/api';
import { expectError } from '../helpers/errors';

const baseUrl = inject('baseUrl');

interface Person extends TestUser {
  token: string;
}

async function person(prefix: string): Promise<Person> {
  const u = await registerUser(baseUrl, { prefix });
  return { ...u, token: (await createToken(baseUrl, u)).token };
}

async function block(who: Person, whom: Person) {
  const res = await request(baseUrl, `/api/v1/users/${whom.id}/block`, { method: 'PUT', token: who.token });
  expect(res.status, res.text).toBe(204);
}

async function group(owner: Person, members: Person[]) {
  return request<{ conversation: { id: string; members: { id: string; role: string }[] } }>(baseUrl, '/api/v1/conversations', {
    method: 'POST',
    token: owner.token,
    body: { kind: 'group', title: 'Blocks', memberIds: members.map((m) => m.id) },
  });
}

describe('a person who blocked you', () => {
  it('cannot be put into a new group by you, nor added to one; others still can', async () => {
    const [ana, ben, cat] = await Promise.all([person('bkana'), person('bkben'), person('bkcat')]);
    await block(ben, ana); // Ben blocked Ana
    expectError(await group(ana, [ben, cat]), 'forbidden');
    const ok = await group(ana, [cat]);
    expect(ok.status, ok.text).toBe(201);
    const cid = ok.body.conversation.id;
    expectError(await request(baseUrl, `/api/v1/conversations/${cid}/members`, { method: 'POST', token: ana.token, body: { userId: ben.id } }), 'forbidden');
    // The group itself is unchanged: Ben is not in it.
    const g = await request<{ conversation: { members: { id: string }[] } }>(baseUrl, `/api/v1/conversations/${cid}`, { token: ana.token });
    expect(g.body.conversation.members.map((m) => m.id).sort()).toEqual([ana.id, cat.id].sort());
    // Cat (not blocked) may create a group with Ben and Ana both.
    const catGroup = await group(cat, [ben, ana]);
    expect(catGroup.status, catGroup.text).toBe(201);
  });

  it('is not notified by your mentions (mentions list leaves them out)', async () => {
    const [ana, ben, cat] = await Promise.all([person('bmana'), person('bmben'), person('bmcat')]);
    const created = await group(cat, [ana, ben]);
    expect(created.status, created.text).toBe(201);
    const cid = created.body.conversation.id;
    await block(ben, ana);
    const say = (who: Person, body: string) =>
      request<{ message: { mentions: string[] } }>(baseUrl, `/api/v1/conversations/${cid}/messages`, { method: 'POST', token: who.token, body: { body } });
    const fromAna = await say(ana, `@${ben.username} @${cat.username} look`);
    expect(fromAna.status, fromAna.text).toBe(201);
    expect(fromAna.body.message.mentions).toEqual([cat.id]);
    // Cat's mention of Ben still counts.
    const fromCat = await say(cat, `@${ben.username} hi`);
    expect(fromCat.body.message.mentions).toEqual([ben.id]);
    // Ben's unread mention count has Cat's mention only.
    const list = await request<{ conversations: { id: string; mentionCount: number }[] }>(baseUrl, '/api/v1/conversations', { token: ben.token });
    expect(list.body.conversations.find((c) => c.id === cid)?.mentionCount).toBe(1);
    // Nor by your @channel: it reaches Cat, not Ben.
    const all = await say(ana, '@channel standup in 5');
    expect(all.status, all.text).toBe(201);
    const counts = async (who: Person) =>
      (await request<{ conversations: { id: string; mentionCount: number }[] }>(baseUrl, '/api/v1/conversations', { token: who.token })).body.conversations.find((c) => c.id === cid)
        ?.mentionCount;
    expect(await counts(ben)).toBe(1);
    // (Cat's own message read everything before it, Ana's first mention too.)
    expect(await counts(cat)).toBe(1);
  });
});

describe('a group always has an owner', () => {
  it('the last owner cannot demote themselves (409); after handing ownership on, they can', async () => {
    const [ana, ben] = await Promise.all([person('owana'), person('owben')]);
    const created = await group(ana, [ben]);
    const cid = created.body.conversation.id;
    const setRole = (who: Person, userId: string, role: string) =>
      request(baseUrl, `/api/v1/conversations/${cid}/members/${userId}`, { method: 'PATCH', token: who.token, body: { role } });
    expectError(await setRole(ana, ana.id, 'admin'), 'conflict');
    expectError(await setRole(ana, ana.id, 'member'), 'conflict');
    expect((await setRole(ana, ben.id, 'owner')).status).toBe(200);
    const demoted = await setRole(ana, ana.id, 'member');
    expect(demoted.status, demoted.text).toBe(200);
    const g = await request<{ conversation: { members: { id: string; role: string }[] } }>(baseUrl, `/api/v1/conversations/${cid}`, { token: ben.token });
    expect(Object.fromEntries(g.body.conversation.members.map((m) => [m.id, m.role]))).toEqual({ [ana.id]: 'member', [ben.id]: 'owner' });
    // Now Ben is the last owner.
    expectError(await setRole(ben, ben.id, 'member'), 'conflict');
  });
});
