import { getDb } from '../../db';
import * as chq from '../../db/queries/channels';
import * as cq from '../../db/queries/conversations';
import { getUserById } from '../../db/queries/users';
import type { Actor } from '../auth/actor';
import { AppError } from '../errors';
import { newId } from '../ids';
import { iso, type ChannelDto, type ConversationDto } from '../validation/dto';
import type { UpdateConversationInput } from '../validation/conversations';
import { announceCreated, announceUpdate, applyNotifyPatch, buildDtos, canManage, getConversation, removeMember, updateConversation } from './conversations';
import { decodeCursor, encodeCursor } from './cursor';
import { postSystemMessage, requireMembership } from './messages';
import { getSiteSettings } from './settings';

function nameTaken(name: string): AppError {
  return new AppError('conflict', `A channel named #${name} already exists`, { issues: [{ path: ['title'], message: 'Name taken' }] });
}

async function displayName(userId: string): Promise<string> {
  return (await getUserById({ id: userId }))?.displayName ?? 'Someone';
}

/** `POST /conversations {kind:"channel"}`: the creator is its owner; nobody else is added. */
export async function createChannel(
  actor: Actor,
  input: { title: string; topic?: string; description?: string; private?: boolean },
): Promise<ConversationDto> {
  if (!actor.isAdmin && (await getSiteSettings()).channelCreation === 'admins') {
    throw new AppError('forbidden', 'On this server only administrators create channels; ask one, or start a group');
  }
  if (await chq.getChannelByName({ name: input.title })) throw nameTaken(input.title);
  let conv;
  try {
    conv = await getDb().transaction(async (tx) => {
      const c = await cq.insertConversation(
        {
          conversation: {
            id: newId(),
            kind: 'channel',
            title: input.title,
            topic: input.topic || null,
            description: input.description || null,
            private: input.private ?? false,
            createdById: actor.id,
          },
        },
        tx,
      );
      // `on conflict do nothing`: a twin created a moment ago by someone else.
      if (!c) return undefined;
      await cq.insertMembers({ members: [{ conversationId: c.id, userId: actor.id, role: 'owner' }] }, tx);
      return c;
    });
  } catch (e) {
    if (chq.isUniqueViolation(e)) throw nameTaken(input.title);
    throw e;
  }
  if (!conv) throw nameTaken(input.title);
  await postSystemMessage(conv.id, actor.id, `${await displayName(actor.id)} created the channel #${input.title}`);
  await announceCreated(conv.id, [actor.id]);
  return getConversation(actor, conv.id);
}

/** `GET /channels`: public channels and the private ones the caller is in, by name, keyset-paginated. */
export async function listChannels(
  actor: Actor,
  query: { q?: string; limit: number; cursor?: string },
): Promise<{ channels: ChannelDto[]; nextCursor: string | null }> {
  const afterKey = query.cursor ? decodeCursor(query.cursor, { k: 'string' }).k : undefined;
  const page = await chq.listChannelsPage({ userId: actor.id, q: query.q || undefined, afterKey, limit: query.limit });
  const channels = page.rows.map((r) => ({
    id: r.id,
    title: r.title,
    topic: r.topic,
    description: r.description,
    private: r.private,
    memberCount: Number(r.member_count),
    lastActivityAt: iso(r.updated_at)!,
    joined: r.joined,
    archived: r.archived,
  }));
  const last = page.rows[page.rows.length - 1];
  return { channels, nextCursor: page.hasMore && last ? encodeCursor({ k: last.name_key }) : null };
}

/**
 * `GET /conversations/{id}`: members get their conversation; anyone may look at a public channel they have not
 * joined (`joined: false`, no unread state). Everything else answers `not_found`.
 */
export async function getConversationOrPreview(actor: Actor, id: string): Promise<ConversationDto> {
  try {
    return await getConversation(actor, id);
  } catch (e) {
    if (!(e instanceof AppError) || e.code !== 'not_found') throw e;
    const c = await cq.getConversationById({ id });
    if (!c || c.kind !== 'channel' || c.private) throw e;
    const memberCount = (await cq.countMembers({ conversationIds: [c.id] })).get(c.id) ?? 0;
    const [dto] = await buildDtos(actor.id, [
      {
        conversation: c,
        member: { conversationId: c.id, userId: actor.id, role: 'member', joinedAt: new Date(), visibleFromSeq: 0, lastReadSeq: c.lastSeq, lastReadMessageId: null, muted: false, notify: null },
        lastMessageId: null,
        unreadCount: 0,
        mentionCount: 0,
        memberCount,
      },
    ]);
    return { ...dto!, joined: false };
  }
}

/** `POST /conversations/{id}/join`: public channels only (a private one answers `not_found` to outsiders). */
export async function joinChannel(actor: Actor, id: string): Promise<ConversationDto> {
  const existing = await cq.getMembership({ conversationId: id, userId: actor.id });
  if (existing) {
    if (existing.conversation.kind !== 'channel') throw new AppError('bad_request', 'Only channels can be joined');
    return getConversation(actor, id);
  }
  const c = await cq.getConversationById({ id });
  if (!c || c.kind !== 'channel' || c.private) throw new AppError('not_found', 'No such conversation');
  if (c.archived) throw new AppError('forbidden', 'This channel is archived: nobody can join it until it is unarchived');
  const inserted = await cq.insertMembers({ members: [{ conversationId: id, userId: actor.id, role: 'member', lastReadSeq: c.lastSeq }] });
  if (inserted.length > 0) {
    await announceCreated(id, [actor.id]);
    await postSystemMessage(id, actor.id, `${await displayName(actor.id)} joined`);
    await announceUpdate(id, actor.id);
  }
  return getConversation(actor, id);
}

/** `POST /conversations/{id}/leave`: any member of a channel; the last owner leaving hands ownership on. */
export async function leaveChannel(actor: Actor, id: string): Promise<void> {
  const { conversation } = await requireMembership(actor, id);
  if (conversation.kind !== 'channel') throw new AppError('bad_request', 'Only channels can be left this way; use DELETE /conversations/{id}/members/{yourId}');
  await removeMember(actor, id, actor.id);
}

/**
 * `PATCH /conversations/{id}`: for channels, owners and admins rename (unique ignoring case), set topic and
 * description, archive and unarchive; each change is a system line. Other kinds go to updateConversation.
 */
export async function patchConversation(actor: Actor, id: string, patch: UpdateConversationInput): Promise<ConversationDto> {
  const { member, conversation } = await requireMembership(actor, id);
  if (conversation.kind !== 'channel') {
    if (patch.topic !== undefined || patch.description !== undefined || patch.archived !== undefined || patch.retentionDays !== undefined) {
      throw new AppError('bad_request', 'Only channels have a topic, a description, an archive and a retention of their own');
    }
    return updateConversation(actor, id, patch);
  }
  await applyNotifyPatch(actor, id, patch);
  const changes: string[] = [];
  const set: Parameters<typeof chq.updateChannel>[0]['patch'] = {};
  const title = patch.title?.replace(/^#+/, '').trim();
  if (title !== undefined && title !== conversation.title) {
    if (!title) throw new AppError('bad_request', 'Name is empty', { issues: [{ path: ['title'], message: 'Name is empty' }] });
    const other = await chq.getChannelByName({ name: title });
    if (other && other.id !== id) throw nameTaken(title);
    set.title = title;
    changes.push(`renamed the channel to #${title}`);
  }
  if (patch.topic !== undefined && (patch.topic || null) !== conversation.topic) {
    set.topic = patch.topic || null;
    changes.push(patch.topic ? `set the topic: ${patch.topic}` : 'cleared the topic');
  }
  if (patch.description !== undefined && (patch.description || null) !== conversation.description) {
    set.description = patch.description || null;
    changes.push(patch.description ? 'changed the description' : 'cleared the description');
  }
  if (patch.archived !== undefined && patch.archived !== conversation.archived) {
    set.archived = patch.archived;
    changes.push(patch.archived ? 'archived the channel' : 'unarchived the channel');
  }
  if (patch.retentionDays !== undefined && patch.retentionDays !== conversation.retentionDays) {
    // How long a channel keeps messages is the site's policy: its admins decide, not the channel's owners.
    if (!actor.isAdmin) throw new AppError('forbidden', 'Only site admins set how long a channel keeps messages');
    set.retentionDays = patch.retentionDays;
    changes.push(
      patch.retentionDays === null
        ? "set this channel to follow the site's message retention"
        : patch.retentionDays === 0
          ? 'set this channel to keep all messages'
          : `set this channel to delete messages older than ${patch.retentionDays} ${patch.retentionDays === 1 ? 'day' : 'days'}`,
    );
  }
  if (changes.length === 0) return getConversation(actor, id);
  if (!canManage(member.role) && !actor.isAdmin) throw new AppError('forbidden', 'Only owners and admins can change the channel');
  const who = await displayName(actor.id);
  // The lines go out in order with the change: before archiving, after anything else.
  try {
    if (set.archived === true) for (const c of changes) await postSystemMessage(id, actor.id, `${who} ${c}`);
    await chq.updateChannel({ id, patch: set });
  } catch (e) {
    if (chq.isUniqueViolation(e)) throw nameTaken(title ?? '');
    throw e;
  }
  if (set.archived !== true) for (const c of changes) await postSystemMessage(id, actor.id, `${who} ${c}`);
  return announceUpdate(id, actor.id);
}
