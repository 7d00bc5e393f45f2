import { and, asc, desc, eq, gt, gte, inArray, isNull, lt, sql } from 'drizzle-orm';
import { getDb, type Executor } from '../index';
import { attachments, conversationMembers, conversations, mentions, messages, reactions, users, type Attachment, type Message, type User } from '../schema';

export interface NewMessageRow {
  id: string;
  conversationId: string;
  senderId: string | null;
  kind: 'user' | 'system';
  body: string;
  clientId: string | null;
  replyToId: string | null;
  attachmentIds: string[];
  mentionUserIds: string[];
}

/**
 * Stores a batch of messages in ONE transaction, preserving the given order inside each conversation: the
 * conversation's counter is advanced once per conversation and the seqs handed out in order. A (sender, clientId)
 * that already exists is not stored again: its existing row is returned instead (`duplicate: true`).
 */
export async function insertMessageBatch(
  { rows }: { rows: NewMessageRow[] },
  ex: Executor = getDb(),
): Promise<{ message: Message; duplicate: boolean }[]> {
  return ex.transaction(async (tx) => {
    const results: ({ message: Message; duplicate: boolean } | undefined)[] = new Array(rows.length);

    // 1. Existing (sender, clientId) pairs: answered with the stored row.
    const keyed = rows.filter((r) => r.senderId && r.clientId);
    const existing = new Map<string, Message>();
    if (keyed.length > 0) {
      const found = await tx
        .select()
        .from(messages)
        .where(
          sql`(${messages.senderId}, ${messages.clientId}) in (${sql.join(
            keyed.map((r) => sql`(${r.senderId}, ${r.clientId})`),
            sql`, `,
          )})`,
        );
      for (const m of found) existing.set(`${m.senderId}\u0000${m.clientId}`, m);
    }
    const fresh: number[] = [];
    const seenInBatch = new Map<string, number>();
    rows.forEach((r, i) => {
      const key = r.senderId && r.clientId ? `${r.senderId}\u0000${r.clientId}` : undefined;
      const old = key ? existing.get(key) : undefined;
      if (old) results[i] = { message: old, duplicate: true };
      else if (key && seenInBatch.has(key)) results[i] = undefined; // filled from its twin below
      else {
        if (key) seenInBatch.set(key, i);
        fresh.push(i);
      }
    });

    if (fresh.length > 0) {
      // 2. Hand out seqs: one counter bump per conversation, in batch order.
      const perConversation = new Map<string, number>();
      for (const i of fresh) perConversation.set(rows[i]!.conversationId, (perConversation.get(rows[i]!.conversationId) ?? 0) + 1);
      const now = new Date();
      const nextSeq = new Map<string, number>();
      // Sorted, so two nodes' batches always lock conversations in the same order (no deadlock).
      for (const [conversationId, n] of [...perConversation].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
        const [c] = await tx
          .update(conversations)
          .set({ lastSeq: sql`${conversations.lastSeq} + ${n}`, updatedAt: now })
          .where(eq(conversations.id, conversationId))
          .returning({ lastSeq: conversations.lastSeq });
        nextSeq.set(conversationId, Number(c!.lastSeq) - n + 1);
      }
      const values = fresh.map((i) => {
        const r = rows[i]!;
        const seq = nextSeq.get(r.conversationId)!;
        nextSeq.set(r.conversationId, seq + 1);
        return {
          id: r.id,
          conversationId: r.conversationId,
          seq,
          senderId: r.senderId,
          kind: r.kind,
          body: r.body,
          clientId: r.clientId,
          replyToId: r.replyToId,
          createdAt: now,
        };
      });
      const inserted = await tx.insert(messages).values(values).onConflictDoNothing().returning();
      const byId = new Map(inserted.map((m) => [m.id, m]));
      const lost: number[] = [];
      for (const i of fresh) {
        const m = byId.get(rows[i]!.id);
        if (m) results[i] = { message: m, duplicate: false };
        else lost.push(i); // a concurrent node stored the same clientId first
      }
      if (lost.length > 0) {
        const again = await tx
          .select()
          .from(messages)
          .where(
            sql`(${messages.senderId}, ${messages.clientId}) in (${sql.join(
              lost.map((i) => sql`(${rows[i]!.senderId}, ${rows[i]!.clientId})`),
              sql`, `,
            )})`,
          );
        const map = new Map(again.map((m) => [`${m.senderId}\u0000${m.clientId}`, m]));
        for (const i of lost) {
          const m = map.get(`${rows[i]!.senderId}\u0000${rows[i]!.clientId}`);
          if (!m) throw new Error('message neither stored nor found');
          results[i] = { message: m, duplicate: true };
        }
      }

      // 3. Attachments, mentions, and the sender's own read position.
      for (const i of fresh) {
        const r = rows[i]!;
        const stored = results[i];
        if (!stored || stored.duplicate) continue;
        if (r.attachmentIds.length > 0) {
          await tx
            .update(attachments)
            .set({ messageId: r.id })
            .where(and(inArray(attachments.id, r.attachmentIds), isNull(attachments.messageId)));
        }
      }
      const mentionRows = fresh.flatMap((i) =>
        results[i] && !results[i]!.duplicate ? rows[i]!.mentionUserIds.map((userId) => ({ messageId: rows[i]!.id, userId })) : [],
      );
      if (mentionRows.length > 0) await tx.insert(mentions).values(mentionRows).onConflictDoNothing();
      const readMax = new Map<string, { conversationId: string; userId: string; seq: number; id: string }>();
      for (const i of fresh) {
        const stored = results[i];
        const r = rows[i]!;
        if (!stored || stored.duplicate || !r.senderId || r.kind !== 'user') continue;
        const key = `${r.conversationId}\u0000${r.senderId}`;
        const cur = readMax.get(key);
        if (!cur || cur.seq < stored.message.seq) readMax.set(key, { conversationId: r.conversationId, userId: r.senderId, seq: stored.message.seq, id: stored.message.id });
      }
      for (const p of [...readMax.values()].sort((a, b) => (a.conversationId + a.userId < b.conversationId + b.userId ? -1 : 1))) {
        await tx
          .update(conversationMembers)
          .set({ lastReadSeq: p.seq, lastReadMessageId: p.id })
          .where(
            and(
              eq(conversationMembers.conversationId, p.conversationId),
              eq(conversationMembers.userId, p.userId),
              lt(conversationMembers.lastReadSeq, p.seq),
            ),
          );
      }
    }

    // Twins inside one batch resolve to the first one's row.
    rows.forEach((r, i) => {
      if (results[i]) return;
      const twin = seenInBatch.get(`${r.senderId}\u0000${r.clientId}`);
      const res = twin !== undefined ? results[twin] : undefined;
      if (!res) throw new Error('batch twin without a result');
      results[i] = { message: res.message, duplicate: true };
    });
    return results as { message: Message; duplicate: boolean }[];
  });
}

export async function getMessageById({ id }: { id: string }, ex: Executor = getDb()): Promise<Message | undefined> {
  const [row] = await ex.select().from(messages).where(eq(messages.id, id)).limit(1);
  return row;
}

export async function getMessagesByIds({ ids }: { ids: string[] }, ex: Executor = getDb()): Promise<Message[]> {
  if (ids.length === 0) return [];
  return ex.select().from(messages).where(inArray(messages.id, ids));
}

/** A page of a conversation, oldest first. `afterSeq`: the next ones after; otherwise the newest before `beforeSeq`. */
export async function listMessagesPage(
  { conversationId, beforeSeq, afterSeq, fromSeq, limit }: { conversationId: string; beforeSeq?: number; afterSeq?: number; fromSeq: number; limit: number },
  ex: Executor = getDb(),
): Promise<{ rows: Message[]; hasMore: boolean }> {
  const base = [eq(messages.conversationId, conversationId), gte(messages.seq, fromSeq)];
  if (afterSeq !== undefined) {
    const rows = await ex
      .select()
      .from(messages)
      .where(and(...base, gt(messages.seq, afterSeq)))
      .orderBy(asc(messages.seq))
      .limit(limit + 1);
    return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
  }
  const rows = await ex
    .select()
    .from(messages)
    .where(and(...base, beforeSeq !== undefined ? lt(messages.seq, beforeSeq) : undefined))
    .orderBy(desc(messages.seq))
    .limit(limit + 1);
  return { rows: rows.slice(0, limit).reverse(), hasMore: rows.length > limit };
}

export interface MessageExtras {
  senders: Map<string, User>;
  reactions: Map<string, { emoji: string; userId: string }[]>;
  attachments: Map<string, Attachment[]>;
  mentions: Map<string, string[]>;
  replies: Map<string, Message>;
}

/** Everything a message DTO needs beyond its row, for many messages in a few queries. */
export async function loadMessageExtras({ rows }: { rows: Message[] }, ex: Executor = getDb()): Promise<MessageExtras> {
  const ids = rows.map((m) => m.id);
  const replyIds = [...new Set(rows.map((m) => m.replyToId).filter((x): x is string => !!x))];
  const replies = replyIds.length ? await getMessagesByIds({ ids: replyIds }, ex) : [];
  const senderIds = [...new Set([...rows, ...replies].map((m) => m.senderId).filter((x): x is string => !!x))];
  const [senderRows, reactionRows, attachmentRows, mentionRows] = ids.length
    ? await Promise.all([
        senderIds.length ? ex.select().from(users).where(inArray(users.id, senderIds)) : Promise.resolve([] as User[]),
        ex
          .select({ messageId: reactions.messageId, emoji: reactions.emoji, userId: reactions.userId })
          .from(reactions)
          .where(inArray(reactions.messageId, ids))
          .orderBy(asc(reactions.createdAt)),
        ex.select().from(attachments).where(inArray(attachments.messageId, ids)).orderBy(asc(attachments.createdAt)),
        ex.select().from(mentions).where(inArray(mentions.messageId, ids)),
      ])
    : [[], [], [], []];
  const group = <T, K extends string>(list: T[], key: (t: T) => K) => {
    const m = new Map<K, T[]>();
    for (const item of list) {
      const k = key(item);
      const arr = m.get(k);
      if (arr) arr.push(item);
      else m.set(k, [item]);
    }
    return m;
  };
  return {
    senders: new Map(senderRows.map((u) => [u.id, u])),
    reactions: group(reactionRows, (r) => r.messageId),
    attachments: group(attachmentRows, (a) => a.messageId!),
    mentions: new Map([...group(mentionRows, (m) => m.messageId)].map(([k, v]) => [k, v.map((x) => x.userId)])),
    replies: new Map(replies.map((m) => [m.id, m])),
  };
}

export async function updateMessageBody(
  { id, body, mentionUserIds }: { id: string; body: string; mentionUserIds: string[] },
  ex: Executor = getDb(),
): Promise<Message | undefined> {
  return ex.transaction(async (tx) => {
    const [row] = await tx
      .update(messages)
      .set({ body, editedAt: new Date() })
      .where(and(eq(messages.id, id), isNull(messages.deletedAt)))
      .returning();
    if (!row) return undefined;
    await tx.delete(mentions).where(eq(mentions.messageId, id));
    if (mentionUserIds.length) await tx.insert(mentions).values(mentionUserIds.map((userId) => ({ messageId: id, userId }))).onConflictDoNothing();
    return row;
  });
}

/**
 * Tombstones a message: its text is erased (and so leaves the search index), reactions, mentions and pin go, and
 * its attachment rows are removed. Returns the attachments whose files must now be deleted from storage.
 */
export async function tombstoneMessage({ id }: { id: string }, ex: Executor = getDb()): Promise<{ message?: Message; removed: Attachment[] }> {
  return ex.transaction(async (tx) => {
    const [row] = await tx
      .update(messages)
      .set({ body: '', deletedAt: new Date(), pinnedAt: null, pinnedById: null })
      .where(and(eq(messages.id, id), isNull(messages.deletedAt)))
      .returning();
    if (!row) return { removed: [] };
    await tx.delete(reactions).where(eq(reactions.messageId, id));
    await tx.delete(mentions).where(eq(mentions.messageId, id));
    const removed = await tx.delete(attachments).where(eq(attachments.messageId, id)).returning();
    return { message: row, removed };
  });
}

export async function setPinned({ id, byId }: { id: string; byId: string | null }, ex: Executor = getDb()): Promise<Message | undefined> {
  const [row] = await ex
    .update(messages)
    .set(byId ? { pinnedAt: new Date(), pinnedById: byId } : { pinnedAt: null, pinnedById: null })
    .where(and(eq(messages.id, id), isNull(messages.deletedAt)))
    .returning();
  return row;
}

export async function listPinned({ conversationId, fromSeq }: { conversationId: string; fromSeq: number }, ex: Executor = getDb()) {
  return ex
    .select()
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), gte(messages.seq, fromSeq), isNull(messages.deletedAt), sql`${messages.pinnedAt} is not null`))
    .orderBy(desc(messages.pinnedAt))
    .limit(100);
}

export async function addReaction({ messageId, userId, emoji }: { messageId: string; userId: string; emoji: string }, ex: Executor = getDb()) {
  const rows = await ex.insert(reactions).values({ messageId, userId, emoji }).onConflictDoNothing().returning();
  return rows.length > 0;
}

export async function removeReaction({ messageId, userId, emoji }: { messageId: string; userId: string; emoji: string }, ex: Executor = getDb()) {
  const rows = await ex
    .delete(reactions)
    .where(and(eq(reactions.messageId, messageId), eq(reactions.userId, userId), eq(reactions.emoji, emoji)))
    .returning();
  return rows.length > 0;
}

export async function countDistinctEmojis({ messageId }: { messageId: string }, ex: Executor = getDb()): Promise<number> {
  const [row] = await ex.select({ n: sql<number>`count(distinct ${reactions.emoji})::int` }).from(reactions).where(eq(reactions.messageId, messageId));
  return Number(row?.n ?? 0);
}

export async function listReactions({ messageId }: { messageId: string }, ex: Executor = getDb()) {
  return ex
    .select({ emoji: reactions.emoji, userId: reactions.userId })
    .from(reactions)
    .where(eq(reactions.messageId, messageId))
    .orderBy(asc(reactions.createdAt));
}

export interface SearchRow {
  message: Message;
  rank: number;
  snippet: string;
}

/** Marks around hits in snippets: control characters that never appear in stored text (the client splits on them). */
export const HIT_START = '\u0002';
export const HIT_END = '\u0003';

/**
 * Full text over the caller's conversations (tsvector + GIN, ranked, with highlighted snippets). Never a
 * conversation they are not in, a deleted message, or one from before they could see the history.
 */
export async function searchMessages(
  { userId, tsquery, conversationId, senderId, limit }: { userId: string; tsquery: string; conversationId?: string; senderId?: string; limit: number },
  ex: Executor = getDb(),
): Promise<SearchRow[]> {
  const q = sql`to_tsquery('simple', ${tsquery})`;
  const rows = await ex
    .select({
      message: messages,
      rank: sql<number>`ts_rank(${messages.search}, ${q})`,
      snippet: sql<string>`ts_headline('simple', ${messages.body}, ${q}, ${`StartSel=${HIT_START}, StopSel=${HIT_END}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`})`,
    })
    .from(messages)
    .innerJoin(
      conversationMembers,
      and(eq(conversationMembers.conversationId, messages.conversationId), eq(conversationMembers.userId, userId)),
    )
    .where(
      and(
        sql`${messages.search} @@ ${q}`,
        isNull(messages.deletedAt),
        eq(messages.kind, 'user'),
        sql`${messages.seq} >= ${conversationMembers.visibleFromSeq}`,
        conversationId ? eq(messages.conversationId, conversationId) : undefined,
        senderId ? eq(messages.senderId, senderId) : undefined,
      ),
    )
    .orderBy(desc(sql`ts_rank(${messages.search}, ${q})`), desc(messages.createdAt))
    .limit(limit);
  return rows.map((r) => ({ ...r, rank: Number(r.rank) }));
}
