import * as cq from '../../db/queries/conversations';
import * as mq from '../../db/queries/messages';
import { listAttachmentsByUploader } from '../../db/queries/attachments';
import { deleteUserCascade, getUserById } from '../../db/queries/users';
import type { Actor } from '../auth/actor';
import { verifyPassword } from '../auth/password';
import { AppError } from '../errors';
import { getIo } from '../realtime/io';
import { rooms } from '../realtime/rooms';
import { removeFiles, storage } from '../storage';
import { buildZip } from '../zip';
import { hydrateMessages } from './messages';
import { toMe } from './users';

async function readAll(key: string): Promise<Buffer | null> {
  const f = await storage().read(key);
  if (!f) return null;
  const chunks: Buffer[] = [];
  for await (const c of f.stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** A ZIP of your profile, your conversations with the messages you can read, and the files you uploaded. */
export async function exportAccount(actor: Actor): Promise<Buffer> {
  const user = await getUserById({ id: actor.id });
  if (!user) throw new AppError('unauthorized', 'This account no longer exists');
  const entries: { name: string; data: Buffer }[] = [];
  const json = (v: unknown) => Buffer.from(JSON.stringify(v, null, 2));
  entries.push({ name: 'profile.json', data: json(toMe(user, true)) });
  const summaries = await cq.listConversationSummaries({ userId: actor.id });
  const members = await cq.listMembers({ conversationIds: summaries.map((s) => s.conversation.id) });
  entries.push({
    name: 'conversations.json',
    data: json(
      summaries.map((s) => ({
        id: s.conversation.id,
        kind: s.conversation.kind,
        title: s.conversation.title,
        role: s.member.role,
        joinedAt: s.member.joinedAt,
        members: members.filter((m) => m.conversationId === s.conversation.id).map((m) => ({ id: m.userId, username: m.user.username, displayName: m.user.displayName })),
      })),
    ),
  });
  for (const s of summaries) {
    const all = [];
    let before: number | undefined;
    for (;;) {
      const page = await mq.listMessagesPage({ conversationId: s.conversation.id, beforeSeq: before, fromSeq: s.member.visibleFromSeq, limit: 1000 });
      all.unshift(...page.rows);
      if (!page.hasMore || page.rows.length === 0) break;
      before = page.rows[0]!.seq;
    }
    entries.push({ name: `messages/${s.conversation.id}.json`, data: json(await hydrateMessages(all)) });
  }
  for (const a of await listAttachmentsByUploader({ userId: actor.id })) {
    const data = await readAll(a.storageKey);
    if (data) entries.push({ name: `files/${a.id}-${a.name.replace(/[/\\]/g, '_')}`, data });
  }
  if (user.avatarKey) {
    const data = await readAll(user.avatarKey);
    if (data) entries.push({ name: 'avatar.webp', data });
  }
  return buildZip(entries);
}

/** Deletes your account after checking your password; your sockets are disconnected. */
export async function deleteAccount(actor: Actor, password: string): Promise<void> {
  const user = await getUserById({ id: actor.id });
  if (!user) throw new AppError('unauthorized', 'This account no longer exists');
  if (!(await verifyPassword(user.passwordHash, password))) throw new AppError('forbidden', 'Wrong password');
  const { files } = await deleteUserCascade({ id: actor.id });
  await removeFiles([...files.flatMap((f) => [f.storageKey, f.thumbnailKey]), user.avatarKey]);
  getIo()?.in(rooms.user(actor.id)).disconnectSockets(true);
}
