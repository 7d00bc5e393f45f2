import { Readable } from 'node:stream';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { ZipFile } from 'yazl';
import * as cq from '../../db/queries/conversations';
import * as mq from '../../db/queries/messages';
import { listAttachmentsByUploader } from '../../db/queries/attachments';
import { deleteUserCascade, getUserById } from '../../db/queries/users';
import type { Actor } from '../auth/actor';
import { verifyPassword } from '../auth/password';
import { AppError } from '../errors';
import { limiter } from '../rate-limit';
import { getIo } from '../realtime/io';
import { rooms } from '../realtime/rooms';
import { removeFiles, storage } from '../storage';
import { hydrateMessages } from './messages';
import { toMe } from './users';
import type { RequestMeta } from '../auth/meta';
import { listOpenSessions } from '../../db/queries/sessions';
import { forgetSessions } from './sessions';
import { disconnectSessions } from '../realtime/revoke';
import { recordSecurityEvent } from './security-events';

/** One export per user at a time, on every node (the lock lives in the rate-limit store: memory or Redis). */
const EXPORT_LOCK_MS = 60 * 60_000;

function exportLock() {
  return limiter('export-lock', 1, EXPORT_LOCK_MS);
}

/**
 * A ZIP of your profile, your conversations with the messages you can read, and the files you sent in messages,
 * STREAMED (yazl, ZIP64 when needed): entries are produced one after the other as the client reads, messages a
 * page at a time and files straight from storage, so memory stays flat whatever the size. A second export while
 * one is running answers 409 `conflict`. The lock is released when the stream ends, fails or the client goes away.
 */
export async function exportAccount(actor: Actor): Promise<Readable> {
  const user = await getUserById({ id: actor.id });
  if (!user) throw new AppError('unauthorized', 'This account no longer exists');
  try {
    await exportLock().consume(actor.id);
  } catch (e) {
    if (e instanceof RateLimiterRes) throw new AppError('conflict', 'An export of this account is already running; wait for it to finish');
    throw e;
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    void exportLock().delete(actor.id).catch(() => {});
  };
  try {
    const zip = new ZipFile();
    const json = (v: unknown) => Buffer.from(JSON.stringify(v, null, 2));
    const mtime = new Date();
    zip.addBuffer(json(toMe(user, true)), 'profile.json', { mtime });
    const summaries = await cq.listConversationSummaries({ userId: actor.id });
    const members = await cq.listMembers({ conversationIds: summaries.map((s) => s.conversation.id) });
    zip.addBuffer(
      json(
        summaries.map((s) => ({
          id: s.conversation.id,
          kind: s.conversation.kind,
          title: s.conversation.title,
          role: s.member.role,
          joinedAt: s.member.joinedAt,
          members: members.filter((m) => m.conversationId === s.conversation.id).map((m) => ({ id: m.userId, username: m.user.username, displayName: m.user.displayName })),
        })),
      ),
      'conversations.json',
      { mtime },
    );
    for (const s of summaries) {
      zip.addReadStreamLazy(`messages/${s.conversation.id}.json`, { mtime }, (cb) =>
        cb(null, Readable.from(messagePages(s.conversation.id, s.member.visibleFromSeq))),
      );
    }
    // Only files that went out in a message: an upload never sent is not part of the account's history.
    const files = (await listAttachmentsByUploader({ userId: actor.id })).filter((a) => a.messageId);
    for (const a of files) {
      zip.addReadStreamLazy(`files/${a.id}-${a.name.replace(/[/\\]/g, '_')}`, { mtime: a.createdAt, compress: false }, (cb) => {
        storage()
          .read(a.storageKey)
          .then((f) => cb(null, f ? (f.stream as Readable) : Readable.from([])))
          .catch((e: Error) => cb(e, undefined as never));
      });
    }
    if (user.avatarKey) {
      const key = user.avatarKey;
      zip.addReadStreamLazy('avatar.webp', { mtime, compress: false }, (cb) => {
        storage()
          .read(key)
          .then((f) => cb(null, f ? (f.stream as Readable) : Readable.from([])))
          .catch((e: Error) => cb(e, undefined as never));
      });
    }
    zip.end();
    const out = zip.outputStream as Readable;
    out.once('end', release);
    out.once('close', release);
    out.once('error', release);
    zip.once('error', (e: Error) => {
      release();
      out.destroy(e);
    });
    return out;
  } catch (e) {
    release();
    throw e;
  }
}

/** A conversation's messages as one JSON array, produced a page at a time. */
async function* messagePages(conversationId: string, fromSeq: number): AsyncGenerator<Buffer> {
  yield Buffer.from('[');
  let after = fromSeq - 1;
  let first = true;
  for (;;) {
    const page = await mq.listMessagesPage({ conversationId, afterSeq: after, fromSeq, limit: 500 });
    if (page.rows.length === 0) break;
    const hydrated = await hydrateMessages(page.rows);
    const parts = hydrated.map((m) => JSON.stringify(m, null, 2));
    yield Buffer.from((first ? '\n' : ',\n') + parts.join(',\n'));
    first = false;
    after = page.rows[page.rows.length - 1]!.seq;
    if (!page.hasMore) break;
  }
  yield Buffer.from('\n]\n');
}

/** Deletes your account after checking your password; your sockets are disconnected. */
export async function deleteAccount(actor: Actor, password: string, meta: RequestMeta = { ip: null, userAgent: null }): Promise<void> {
  const user = await getUserById({ id: actor.id });
  if (!user) throw new AppError('unauthorized', 'This account no longer exists');
  if (!(await verifyPassword(user.passwordHash, password))) throw new AppError('forbidden', 'Wrong password');
  // Recorded first: the event outlives the account (its user becomes null) for the server's own audit.
  await recordSecurityEvent({ userId: actor.id, type: 'account_deleted', meta, detail: { username: user.username } });
  const sessionIds = (await listOpenSessions({ userId: actor.id, now: new Date() })).map((s) => s.id);
  const { files } = await deleteUserCascade({ id: actor.id });
  forgetSessions(sessionIds);
  disconnectSessions(sessionIds);
  await removeFiles([...files.flatMap((f) => [f.storageKey, f.thumbnailKey]), user.avatarKey]);
  getIo()?.in(rooms.user(actor.id)).disconnectSockets(true);
}
