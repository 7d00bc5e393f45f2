import { and, asc, desc, eq, gt, gte, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
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

/** Rows of `execute`: postgres-js answers an array, PGlite `{ rows }`. */
function rowsOf<T>(res: unknown): T[] {
  return (Array.isArray(res) ? res : (res as { rows: T[] }).rows) as T[];
}

/** `column in <ids>` as ONE jsonb parameter (constant statement text, cheap to build). */
function inIds(column: AnyPgColumn, ids: string[]) {
  return sql`${column} in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`;
}

/**
 * `(sender_id, client_id) in <pairs>` as ONE jsonb parameter: a constant-size statement whatever the batch size
 * (a literal row list of a few hundred pairs overflows PGlite's stack and costs a parse per shape).
 */
function senderClientIn(pairs: { s: string; c: string }[]) {
  return sql`(${messages.senderId}, ${messages.clientId}) in (select x.s, x.c from jsonb_to_recordset(${JSON.stringify(pairs)}::jsonb) as x(s text, c text))`;
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
      const found = await tx.select().from(messages).where(senderClientIn(keyed.map((r) => ({ s: r.senderId!, c: r.clientId! }))));
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
      // One statement for all counters. With several conversations, lock them first in sorted order, so two
      // nodes' batches always lock conversations in the same order (no deadlock).
      const counts = [...perConversation].sort((a, b) => (a[0] < b[0] ? -1 : 1));
      if (counts.length > 1) {
        await tx
          .select({ id: conversations.id })
          .from(conversations)
          .where(inArray(conversations.id, counts.map(([id]) => id)))
          .orderBy(asc(conversations.id))
          .for('update');
      }
      const bumped = await tx
        .update(conversations)
        .set({ lastSeq: sql`${conversations.lastSeq} + x.n`, updatedAt: now })
        .from(sql`jsonb_to_recordset(${JSON.stringify(counts.map(([id, n]) => ({ id, n })))}::jsonb) as x(id text, n bigint)`)
        .where(sql`${conversations.id} = x.id`)
        .returning({ id: conversations.id, lastSeq: conversations.lastSeq });
      for (const c of bumped) nextSeq.set(c.id, Number(c.lastSeq) - perConversation.get(c.id)! + 1);
      if (nextSeq.size !== counts.length) throw new Error('conversation of a message not found');
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
      // One constant-shape statement with the rows as one jsonb parameter: no per-row query building, one
      // prepared statement whatever the batch size. Only the ids come back: the rows are the values we sent.
      const res = await tx.execute<{ id: string }>(sql`
        insert into messages (id, conversation_id, seq, sender_id, kind, body, client_id, reply_to_id, created_at)
        select x.id, x."conversationId", x.seq, x."senderId", x.kind, x.body, x."clientId", x."replyToId", ${now.toISOString()}::timestamptz
        from jsonb_to_recordset(${JSON.stringify(values)}::jsonb)
          as x(id text, "conversationId" text, seq bigint, "senderId" text, kind text, body text, "clientId" text, "replyToId" text)
        on conflict do nothing
        returning id`);
      const insertedIds = new Set(rowsOf<{ id: string }>(res).map((r) => r.id));
      const byId = new Map<string, Message>();
      for (const v of values) {
        if (insertedIds.has(v.id)) byId.set(v.id, { ...v, editedAt: null, deletedAt: null, pinnedAt: null, pinnedById: null, search: null });
      }
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
          .where(senderClientIn(lost.map((i) => ({ s: rows[i]!.senderId!, c: rows[i]!.clientId! }))));
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
      if (readMax.size > 0) {
        // One statement for every sender's read position (the conversations are locked above, so no deadlock).
        await tx
          .update(conversationMembers)
          .set({ lastReadSeq: sql`r.seq`, lastReadMessageId: sql`r.id` })
          .from(sql`jsonb_to_recordset(${JSON.stringify([...readMax.values()])}::jsonb) as r("conversationId" text, "userId" text, seq bigint, id text)`)
          .where(
            sql`${conversationMembers.conversationId} = r."conversationId" and ${conversationMembers.userId} = r."userId" and ${conversationMembers.lastReadSeq} < r.seq`,
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
        senderIds.length ? ex.select().from(users).where(inIds(users.id, senderIds)) : Promise.resolve([] as User[]),
        ex
          .select({ messageId: reactions.messageId, emoji: reactions.emoji, userId: reactions.userId })
          .from(reactions)
          .where(inIds(reactions.messageId, ids))
          .orderBy(asc(reactions.createdAt)),
        ex.select().from(attachments).where(inIds(attachments.messageId, ids)).orderBy(asc(attachments.createdAt)),
        ex.select().from(mentions).where(inIds(mentions.messageId, ids)),
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
