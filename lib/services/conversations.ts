import { getDb } from '../../db';
import * as cq from '../../db/queries/conversations';
import * as mq from '../../db/queries/messages';
import { countExistingUsers, getUserById } from '../../db/queries/users';
import { isBlockedBetween, listWhoBlocked } from '../../db/queries/blocks';
import type { Conversation, MemberRole } from '../../db/schema';
import type { Actor } from '../auth/actor';
import { AppError } from '../errors';
import { newId } from '../ids';
import { checkRate, rules } from '../rate-limit';
import { getOnlineUserIds } from '../realtime/presence';
import { joinConversationRoom, leaveConversationRoom, publishToConversation, publishToUsers } from '../realtime/publish';
import { iso, type ConversationDto, type MemberDto } from '../validation/dto';
import type { CreateConversationInput } from '../validation/conversations';
import { hydrateMessages, postSystemMessage, requireMembership, requireReader } from './messages';
import { countsFor, effectiveNotify, publicAttention } from './attention';
import { setMemberNotify } from '../../db/queries/attention';
import type { NotifyLevel } from '../validation/attention';
import { toUserRef } from './users';
import { decodeCursor, encodeCursor } from './cursor';

/** Channels can be large: their DTO lists at most this many members, the reader among them (memberCount has the
 * total). */
const CHANNEL_MEMBER_PREVIEW = 50;
/** The list (`GET /conversations`, whole or a page) lists at most this many members of each conversation: the reader
 * and the earliest to join. A person in 200 groups of 50 would otherwise get 10,000 members, 2 MB, at every start
 * and reconnect, for a sidebar that shows none of them. A direct conversation is whole; a group is whole from
 * `GET /conversations/{id}`, which the client reads when one opens. */
export const PAGE_MEMBER_PREVIEW = 6;

/** Members as a list shows them; what is shown of a person (the same in every conversation) is worked out once each. */
async function memberDtos(members: cq.MemberWithUser[]): Promise<MemberDto[]> {
  const online = await getOnlineUserIds([...new Set(members.map((m) => m.userId))]);
  const people = new Map<string, Omit<MemberDto, 'role' | 'lastReadMessageId' | 'lastReadSeq'>>();
  const now = Date.now();
  return members.map((m) => {
    let person = people.get(m.userId);
    if (!person) {
      const { status, dnd } = publicAttention(m.user, now);
      people.set(m.userId, (person = { ...toUserRef(m.user), online: online.has(m.userId), lastSeenAt: iso(m.user.lastSeenAt), status, dnd }));
    }
    return { ...person, role: m.role, lastReadMessageId: m.lastReadMessageId, lastReadSeq: m.lastReadSeq };
  });
}

/**
 * `GET /conversations/{id}/members`: its members by username, a page at a time, or those whose username starts with
 * `q` or whose name holds it. For whoever may read the conversation (a public channel: anyone signed in).
 */
export async function listConversationMembers(
  actor: Pick<Actor, 'id'>,
  id: string,
  query: { q?: string; limit?: number; cursor?: string },
): Promise<{ members: MemberDto[]; nextCursor: string | null }> {
  await requireReader(actor, id);
  const limit = query.limit ?? 50;
  const after = query.cursor ? decodeCursor(query.cursor, { after: 'string' }).after : '';
  const q = (query.q ?? '').replace(/[\\%_]/g, '\\$&');
  const rows = await cq.listMemberPage({ conversationId: id, q, after, limit: limit + 1 });
  const page = rows.slice(0, limit);
  return { members: await memberDtos(page), nextCursor: rows.length > limit ? encodeCursor({ after: page[page.length - 1]!.user.username }) : null };
}

export async function buildDtos(userId: string, rows: cq.ConversationSummaryRow[], opts: { preview?: boolean } = {}): Promise<ConversationDto[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.conversation.id);
  const [members, lastRows] = await Promise.all([
    opts.preview ? cq.listMemberPreviews({ conversationIds: ids, userId, limit: PAGE_MEMBER_PREVIEW }) : cq.listMembers({ conversationIds: ids }),
    mq.getMessagesByIds({ ids: rows.map((r) => r.lastMessageId).filter((x): x is string => !!x) }),
  ]);
  const [dtos, hydrated] = await Promise.all([memberDtos(members), hydrateMessages(lastRows)]);
  const lastById = new Map(hydrated.map((m) => [m.id, m]));
  const byConversation = new Map<string, MemberDto[]>();
  members.forEach((m, i) => {
    let list = byConversation.get(m.conversationId);
    if (!list) byConversation.set(m.conversationId, (list = []));
    list.push(dtos[i]!);
  });
  return rows.map((r) => {
    const c = r.conversation;
    let list = byConversation.get(c.id) ?? [];
    if (c.kind === 'channel' && list.length > CHANNEL_MEMBER_PREVIEW) {
      const rank = (m: MemberDto) => (m.id === userId ? 0 : m.online ? 1 : 2);
      list = [...list].sort((a, b) => rank(a) - rank(b)).slice(0, CHANNEL_MEMBER_PREVIEW);
    }
    const memberCount = r.memberCount;
    const notify = effectiveNotify(r.member.notify, c.kind, memberCount);
    return {
      id: c.id,
      kind: c.kind,
      title: c.title,
      members: list,
      memberCount,
      lastMessage: (r.lastMessageId && lastById.get(r.lastMessageId)) || null,
      unreadCount: r.unreadCount,
      ...countsFor(notify, r.unreadCount, r.mentionCount),
      notify,
      notifyChosen: r.member.notify != null,
      muted: notify === 'none',
      myRole: r.member.role,
      updatedAt: iso(c.updatedAt)!,
      createdAt: iso(c.createdAt)!,
      ...(c.kind === 'channel' ? { topic: c.topic, description: c.description, private: c.private, archived: c.archived, retentionDays: c.retentionDays, joined: true } : {}),
    };
  });
}

export async function listConversations(actor: Actor): Promise<ConversationDto[]> {
  return buildDtos(actor.id, await cq.listConversationSummaries({ userId: actor.id }), { preview: true });
}

/**
 * `GET /conversations?limit=`: a page of them, most recent activity first, and where the next one starts. A
 * conversation that gets a message while the pages are read moves above the cursor: the reader learns of it from
 * `message:created` (and fetches it by id), not from a later page.
 */
export async function listConversationPage(actor: Actor, query: { limit: number; cursor?: string }): Promise<{ conversations: ConversationDto[]; nextCursor: string | null }> {
  const after = query.cursor ? decodeCursor(query.cursor, { at: 'timestamp', id: 'string' }) : undefined;
  const page = await cq.listConversationSummaryPage({ userId: actor.id, after, limit: query.limit });
  return { conversations: await buildDtos(actor.id, page.rows, { preview: true }), nextCursor: page.nextKey ? encodeCursor({ ...page.nextKey }) : null };
}

export async function getConversation(actor: Pick<Actor, 'id'>, id: string): Promise<ConversationDto> {
  const rows = await cq.listConversationSummaries({ userId: actor.id, conversationId: id });
  if (rows.length === 0) throw new AppError('not_found', 'No such conversation');
  return (await buildDtos(actor.id, rows))[0]!;
}

/** Tells every member (and their sockets on every node) that the conversation changed. */
export async function announceUpdate(conversationId: string, viewerId: string): Promise<ConversationDto> {
  const dto = await getConversation({ id: viewerId }, conversationId);
  // The broadcast carries the shared fields only: nobody learns another member's unread count or mute.
  publishToConversation(conversationId, 'conversation:updated', {
    conversation: { ...dto, unreadCount: 0, mentionCount: 0, badgeCount: 0, muted: false, notify: 'all', notifyChosen: false, myRole: 'member' },
  });
  return dto;
}

export async function announceCreated(conversationId: string, userIds: string[]): Promise<void> {
  joinConversationRoom(userIds, conversationId);
  await Promise.all(
    userIds.map(async (uid) => publishToUsers([uid], 'conversation:created', { conversation: await getConversation({ id: uid }, conversationId) })),
  );
}

function name(u: { displayName: string }): string {
  return u.displayName;
}

export async function createConversation(
  actor: Actor,
  input: Exclude<CreateConversationInput, { kind: 'channel' }>,
): Promise<{ conversation: ConversationDto; created: boolean }> {
  await limitChanges(actor);
  const me = await getUserById({ id: actor.id });
  if (!me) throw new AppError('unauthorized', 'This account no longer exists');

  if (input.kind === 'direct') {
    if (input.userId === actor.id) {
      throw new AppError('bad_request', 'You cannot start a direct conversation with yourself', { issues: [{ path: ['userId'], message: 'That is you' }] });
    }
    const other = await getUserById({ id: input.userId });
    if (!other) throw new AppError('not_found', 'No such user');
    const directKey = [actor.id, other.id].sort().join(':');
    const existing = await cq.getConversationByDirectKey({ directKey });
    if (existing) return { conversation: await getConversation(actor, existing.id), created: false };
    if (await isBlockedBetween({ a: actor.id, b: other.id })) throw new AppError('forbidden', 'You cannot message this person');
    const created = await getDb().transaction(async (tx) => {
      const conv = await cq.insertConversation({ conversation: { id: newId(), kind: 'direct', directKey, createdById: actor.id } }, tx);
      if (!conv) return undefined; // the same pair, created a moment ago by the other side
      await cq.insertMembers(
        {
          members: [
            { conversationId: conv.id, userId: actor.id, role: 'member' },
            { conversationId: conv.id, userId: other.id, role: 'member' },
          ],
        },
        tx,
      );
      return conv;
    });
    if (!created) {
      const again = await cq.getConversationByDirectKey({ directKey });
      if (!again) throw new AppError('internal', 'Direct conversation vanished');
      return { conversation: await getConversation(actor, again.id), created: false };
    }
    await announceCreated(created.id, [actor.id, other.id]);
    return { conversation: await getConversation(actor, created.id), created: true };
  }

  const memberIds = [...new Set(input.memberIds.filter((id) => id !== actor.id))];
  // A group of 1,000 costs a handful of short queries: a count, one blocks lookup, one bulk insert, two DTO reads.
  if ((await countExistingUsers({ ids: memberIds })) !== memberIds.length) {
    throw new AppError('bad_request', 'Some members do not exist', { issues: [{ path: ['memberIds'], message: 'Unknown user' }] });
  }
  // Nobody is put into a group by someone they blocked.
  if ((await listWhoBlocked({ blockedId: actor.id, blockerIds: memberIds })).length > 0) {
    throw new AppError('forbidden', 'Some of these people cannot be added by you', { issues: [{ path: ['memberIds'], message: 'Cannot be added by you' }] });
  }
  const conv = await getDb().transaction(async (tx) => {
    const c = await cq.insertConversation({ conversation: { id: newId(), kind: 'group', title: input.title, createdById: actor.id } }, tx);
    await cq.insertMembers({ members: [{ conversationId: c!.id, userId: actor.id, role: 'owner' as const }] }, tx);
    await cq.insertMembersBulk({ conversationId: c!.id, userIds: memberIds }, tx);
    return c!;
  });
  await postSystemMessage(conv.id, actor.id, `${name(me)} created the group “${input.title}”`);
  // One DTO for the creator; everybody else sees the same shared fields with their own counters (all equal in a
  // new group), read from one member's summary: a 1,000-member group costs one DTO build, not 1,000.
  joinConversationRoom([actor.id, ...memberIds], conv.id);
  const mine = await getConversation(actor, conv.id);
  publishToUsers([actor.id], 'conversation:created', { conversation: mine });
  if (memberIds.length > 0) {
    const [s] = await cq.listConversationSummaries({ userId: memberIds[0]!, conversationId: conv.id });
    const theirs: ConversationDto = {
      ...mine,
      unreadCount: s?.unreadCount ?? 0,
      ...countsFor(mine.notify, s?.unreadCount ?? 0, s?.mentionCount ?? 0),
      notifyChosen: false,
      muted: false,
      myRole: 'member',
    };
    publishToUsers(memberIds, 'conversation:created', { conversation: theirs });
  }
  return { conversation: mine, created: true };
}

/** Conversation and member changes are rate limited per user (rules.conversationChange). */
async function limitChanges(actor: Pick<Actor, 'id'>): Promise<void> {
  await checkRate(rules.conversationChange, `user:${actor.id}`);
}

export function canManage(role: MemberRole): boolean {
  return role === 'owner' || role === 'admin';
}

function requireGroup(c: Conversation): void {
  if (c.kind !== 'group' && c.kind !== 'channel') throw new AppError('bad_request', 'Only groups have members to manage and a title to change');
}

/**
 * The caller's notification level in a conversation (`notify`, or an old client's `muted`: true is "none", false
 * the default). Told to the caller's other sockets (`preferences:updated`): every device follows.
 */
export async function applyNotifyPatch(actor: Pick<Actor, 'id'>, id: string, patch: { notify?: NotifyLevel | null; muted?: boolean }): Promise<void> {
  if (patch.notify === undefined && patch.muted === undefined) return;
  const notify = patch.notify !== undefined ? patch.notify : patch.muted ? 'none' : null;
  await setMemberNotify({ conversationId: id, userId: actor.id, notify });
  const dto = await getConversation(actor, id);
  publishToUsers([actor.id], 'preferences:updated', { conversationId: id, notify: dto.notify, muted: dto.muted });
}

export async function updateConversation(actor: Actor, id: string, patch: { title?: string; muted?: boolean; notify?: NotifyLevel | null }): Promise<ConversationDto> {
  await limitChanges(actor);
  const { member, conversation } = await requireMembership(actor, id);
  await applyNotifyPatch(actor, id, patch);
  if (patch.title !== undefined && patch.title !== conversation.title) {
    requireGroup(conversation);
    if (!canManage(member.role) && !actor.isAdmin) throw new AppError('forbidden', 'Only owners and admins can rename the group');
    await cq.updateConversation({ id, patch: { title: patch.title } });
    const me = await getUserById({ id: actor.id });
    await postSystemMessage(id, actor.id, `${me ? name(me) : 'Someone'} renamed the group to “${patch.title}”`);
    return announceUpdate(id, actor.id);
  }
  return getConversation(actor, id);
}

export async function addMember(actor: Actor, id: string, userId: string): Promise<ConversationDto> {
  await limitChanges(actor);
  const { member, conversation } = await requireMembership(actor, id);
  requireGroup(conversation);
  if (!canManage(member.role)) throw new AppError('forbidden', 'Only owners and admins can add members');
  const user = await getUserById({ id: userId });
  if (!user) throw new AppError('not_found', 'No such user');
  if ((await listWhoBlocked({ blockedId: actor.id, blockerIds: [userId] })).length > 0) {
    throw new AppError('forbidden', `${name(user)} cannot be added by you`);
  }
  const inserted = await cq.insertMembers({
    members: [{ conversationId: id, userId, role: 'member', visibleFromSeq: conversation.historyVisible ? 0 : conversation.lastSeq + 1 }],
  });
  if (inserted.length === 0) throw new AppError('conflict', `${name(user)} is already a member`);
  const me = await getUserById({ id: actor.id });
  await postSystemMessage(id, actor.id, `${me ? name(me) : 'Someone'} added ${name(user)}`);
  await announceCreated(id, [userId]);
  return announceUpdate(id, actor.id);
}

/** Removes a member (owners/admins) or leaves (anyone, userId = self). The last owner leaving hands ownership on. */
export async function removeMember(actor: Actor, id: string, userId: string): Promise<void> {
  await limitChanges(actor);
  const { member, conversation } = await requireMembership(actor, id);
  requireGroup(conversation);
  const leaving = userId === actor.id;
  const target = leaving ? member : (await cq.getMembership({ conversationId: id, userId }))?.member;
  if (!target) throw new AppError('not_found', 'Not a member of this group');
  if (!leaving) {
    if (!canManage(member.role)) throw new AppError('forbidden', 'Only owners and admins can remove members');
    if (member.role === 'admin' && target.role !== 'member') throw new AppError('forbidden', 'Admins can remove members only');
  }
  const [me, them] = await Promise.all([getUserById({ id: actor.id }), getUserById({ id: userId })]);
  // The system line goes out while the removed member is still in the room, so they see why.
  await postSystemMessage(
    id,
    actor.id,
    leaving ? `${me ? name(me) : 'Someone'} left` : `${me ? name(me) : 'Someone'} removed ${them ? name(them) : 'a member'}`,
  );
  // Leave the room at once, on every node: no event of this conversation reaches them any more.
  leaveConversationRoom([userId], id);
  await getDb().transaction(async (tx) => {
    await cq.deleteMember({ conversationId: id, userId }, tx);
    if (target.role === 'owner') {
      const rest = await cq.listMembers({ conversationIds: [id] }, tx);
      if (rest.length > 0 && !rest.some((m) => m.role === 'owner')) {
        const heir = rest.find((m) => m.role === 'admin') ?? rest[0]!;
        await cq.setMemberRole({ conversationId: id, userId: heir.userId, role: 'owner' }, tx);
      }
    }
  });
  publishToUsers([userId], 'conversation:removed', { conversationId: id });
  const remaining = await cq.listMemberIds({ conversationId: id });
  if (remaining.length > 0) await announceUpdate(id, remaining.includes(actor.id) ? actor.id : remaining[0]!);
}

export async function setMemberRole(actor: Actor, id: string, userId: string, role: MemberRole): Promise<ConversationDto> {
  await limitChanges(actor);
  const { member, conversation } = await requireMembership(actor, id);
  requireGroup(conversation);
  if (member.role !== 'owner') throw new AppError('forbidden', 'Only owners can change roles');
  const target = await cq.getMembership({ conversationId: id, userId });
  if (!target) throw new AppError('not_found', 'Not a member of this group');
  if (target.member.role === 'owner' && role !== 'owner') {
    const owners = (await cq.listMembers({ conversationIds: [id] })).filter((m) => m.role === 'owner');
    if (owners.length <= 1) throw new AppError('conflict', 'A group needs an owner: make someone else owner first');
  }
  await cq.setMemberRole({ conversationId: id, userId, role });
  return announceUpdate(id, actor.id);
}
