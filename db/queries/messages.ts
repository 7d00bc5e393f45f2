import { and, asc, desc, eq, gt, gte, inArray, isNull, lt, sql } from 'drizzle-orm';
import { getDb, type Executor } from '../index';
import { pairKey, PairCoalescer } from './coalescer';
import { inIds, rowsOf, tableRows } from './rows';
import { attachments, conversationMembers, conversations, keywordMentions, mentions, messagePreviews, messages, reactions, users, webhookDeliveries, type Attachment, type Message, type MessageIntegration, type OutgoingWebhookEvent, type User } from '../schema';

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
  /** A thread reply: the root's id. */
  threadId?: string | null;
  alsoToChannel?: boolean;
  /** Posted by an integration: a name override, an icon, cards. */
  integration?: MessageIntegration | null;
  /** Outgoing webhook deliveries this message raises, stored in its transaction (their bodies are built later). */
  deliveries?: { id: string; webhookId: string; eventType: OutgoingWebhookEvent }[];
}


/**
 * `(sender_id, client_id) in <pairs>` as ONE jsonb parameter: a constant-size statement whatever the batch size
 * (a literal row list of a few hundred pairs overflows PGlite's stack and costs a parse per shape).
 */
function senderClientIn(pairs: { s: string; c: string }[]) {
  return sql`(${messages.senderId}, ${messages.clientId}) in (select x.s, x.c from jsonb_to_recordset(${JSON.stringify(pairs)}::jsonb) as x(s text, c text))`;
}

/**
 * Rows insertMessageBatch has just stored, not yet announced to anyone: they have no reactions yet, and their
 * attachments and mentions are the ones given. loadMessageExtras skips those queries for them (the write path
 * hydrates every new message before its ack and broadcast).
 */
const justInserted = new WeakMap<Message, { attachments: boolean; mentions: string[] }>();

/**
 * The whole batch in ONE statement (an implicit transaction, a single round trip): skip the (sender, clientId)
 * pairs already stored; lock the batch's conversations in sorted order (two nodes' batches never deadlock); bump
 * each counter once and number the new rows in batch order; insert; move each sender's read position.
 * Answers the stored rows' ids and seqs. Rows it did not store are duplicates (stored before, or by a concurrent
 * node in the meantime: the unique index decides).
 * The duplicate check is a LATERAL probe of `messages_sender_client_idx` per row: written as `not exists`, the
 * planner may hash the whole messages table instead (it did on PGlite, whose statistics stay at their first guess
 * and whose prepared plan is kept for the server's life), a cost that grows with every message stored.
 */
export const INSERT_BATCH_SQL = `
  with batch_in as materialized (
    select * from jsonb_to_recordset($1::jsonb)
      as x(idx int, id text, "conversationId" text, "senderId" text, kind text, body text, "clientId" text, "replyToId" text, "threadId" text, "alsoToChannel" boolean, integration jsonb)
  ),
  fresh as materialized (
    select i.* from batch_in i
    left join lateral (select m.id from messages m where m.sender_id = i."senderId" and m.client_id = i."clientId" limit 1) d on true
    where d.id is null
  ),
  counts as (select "conversationId" as cid, count(*)::bigint as n from fresh group by 1),
  locked as materialized (
    select c.id from conversations c where c.id in (select cid from counts) order by c.id for update
  ),
  bump as (
    update conversations c set last_seq = c.last_seq + k.n, updated_at = $2::timestamptz
    from counts k join locked l on l.id = k.cid
    where c.id = k.cid
    returning c.id, c.last_seq - k.n as base
  ),
  ins as (
    insert into messages (id, conversation_id, seq, sender_id, kind, body, client_id, reply_to_id, thread_id, also_to_channel, integration, created_at)
    select f.id, f."conversationId", b.base + row_number() over (partition by f."conversationId" order by f.idx),
           f."senderId", f.kind, f.body, f."clientId", f."replyToId", f."threadId", coalesce(f."alsoToChannel", false), f.integration, $2::timestamptz
    from fresh f join bump b on b.id = f."conversationId"
    order by f.idx
    on conflict do nothing
    returning id, seq, conversation_id, sender_id, kind
  ),
  reads as (
    update conversation_members cm set last_read_seq = r.seq, last_read_message_id = r.id
    from (
      select distinct on (conversation_id, sender_id) conversation_id, sender_id, seq, id
      from ins where kind = 'user' and sender_id is not null
      order by conversation_id, sender_id, seq desc
    ) r
    where cm.conversation_id = r.conversation_id and cm.user_id = r.sender_id and cm.last_read_seq < r.seq
  )
  select id, seq from ins`;

/** A constant statement with $n placeholders as a drizzle `sql` (for the transaction path, on the caller's executor). */
export function toSql(text: string, params: unknown[]) {
  return sql.join(text.split(/\$(\d+)/).map((part, i) => (i % 2 ? sql`${params[Number(part) - 1]}` : sql.raw(part))));
}

/**
 * Stores a batch of messages atomically, preserving the given order inside each conversation: the conversation's
 * counter is advanced once per conversation and the seqs handed out in order. A (sender, clientId) that already
 * exists is not stored again: its existing row is returned instead (`duplicate: true`). A batch without
 * attachments or mentions is one statement; with them, that statement and their links share a transaction.
 */
export async function insertMessageBatch(
  { rows }: { rows: NewMessageRow[] },
  ex: Executor = getDb(),
): Promise<{ message: Message; duplicate: boolean }[]> {
  const needsTransaction = rows.some((r) => r.attachmentIds.length > 0 || r.mentionUserIds.length > 0 || (r.deliveries?.length ?? 0) > 0);
  return needsTransaction ? ex.transaction((tx) => storeBatch(rows, tx)) : storeBatch(rows, ex);
}

async function storeBatch(rows: NewMessageRow[], ex: Executor): Promise<{ message: Message; duplicate: boolean }[]> {
  const results: ({ message: Message; duplicate: boolean } | undefined)[] = new Array(rows.length);
  const key = (r: { senderId: string | null; clientId: string | null }) => (r.senderId && r.clientId ? `${r.senderId}\u0000${r.clientId}` : undefined);

  // Twins inside one batch: only the first goes to the database; the others resolve to its row below.
  const candidates: number[] = [];
  const firstOf = new Map<string, number>();
  rows.forEach((r, i) => {
    const k = key(r);
    if (k && firstOf.has(k)) return;
    if (k) firstOf.set(k, i);
    candidates.push(i);
  });

  const now = new Date();
  const input = candidates.map((i) => {
    const r = rows[i]!;
    return { idx: i, id: r.id, conversationId: r.conversationId, senderId: r.senderId, kind: r.kind, body: r.body, clientId: r.clientId, replyToId: r.replyToId, threadId: r.threadId ?? null, alsoToChannel: r.alsoToChannel ?? false, integration: r.integration ?? null };
  });
  const params = [JSON.stringify(input), now.toISOString()];
  // Outside a transaction (the common case): the constant statement straight on the driver, prepared once.
  const res = ex === getDb() ? await rawQuery(INSERT_BATCH_SQL, params, ['jsonb', 'timestamptz']) : await ex.execute(toSql(INSERT_BATCH_SQL, params));
  const seqs = new Map(rowsOf<{ id: string; seq: string | number | bigint }>(res).map((r) => [r.id, Number(r.seq)]));

  const notStored: number[] = [];
  for (const i of candidates) {
    const r = rows[i]!;
    const seq = seqs.get(r.id);
    if (seq === undefined) {
      notStored.push(i);
      continue;
    }
    const message: Message = {
      id: r.id,
      conversationId: r.conversationId,
      seq,
      senderId: r.senderId,
      kind: r.kind,
      body: r.body,
      clientId: r.clientId,
      replyToId: r.replyToId,
      createdAt: now,
      editedAt: null,
      deletedAt: null,
      pinnedAt: null,
      pinnedById: null,
      threadId: r.threadId ?? null,
      alsoToChannel: r.alsoToChannel ?? false,
      integration: r.integration ?? null,
      search: null,
    };
    justInserted.set(message, { attachments: r.attachmentIds.length > 0, mentions: r.mentionUserIds });
    results[i] = { message, duplicate: false };
  }

  // Duplicates (stored earlier, or by a concurrent node just now): answered with the stored row.
  if (notStored.length > 0) {
    const keyed = notStored.filter((i) => key(rows[i]!));
    const found = keyed.length
      ? await ex.select().from(messages).where(senderClientIn(keyed.map((i) => ({ s: rows[i]!.senderId!, c: rows[i]!.clientId! }))))
      : [];
    const byKey = new Map(found.map((m) => [key(m)!, m]));
    for (const i of notStored) {
      const m = byKey.get(key(rows[i]!) ?? '');
      if (!m) throw new Error('message neither stored nor found (unknown conversation?)');
      results[i] = { message: m, duplicate: true };
    }
  }

  // Attachments and mentions of the new messages (inside the caller's transaction: see insertMessageBatch).
  for (const i of candidates) {
    const r = rows[i]!;
    if (results[i]!.duplicate || r.attachmentIds.length === 0) continue;
    await ex
      .update(attachments)
      .set({ messageId: r.id })
      .where(and(inArray(attachments.id, r.attachmentIds), isNull(attachments.messageId)));
  }
  const mentionRows = candidates.flatMap((i) => (results[i]!.duplicate ? [] : rows[i]!.mentionUserIds.map((userId) => ({ messageId: rows[i]!.id, userId }))));
  if (mentionRows.length > 0) await ex.insert(mentions).values(mentionRows).onConflictDoNothing();
  // Outgoing webhook deliveries, with their message or not at all (a twin or a duplicate raises none).
  const deliveryRows = candidates.flatMap((i) =>
    results[i]!.duplicate
      ? []
      : (rows[i]!.deliveries ?? []).map((d) => ({ id: d.id, webhookId: d.webhookId, eventType: d.eventType, payload: '', messageId: rows[i]!.id, nextAttemptAt: now })),
  );
  if (deliveryRows.length > 0) await ex.insert(webhookDeliveries).values(deliveryRows);

  rows.forEach((r, i) => {
    if (results[i]) return;
    const twin = results[firstOf.get(key(r)!)!];
    if (!twin) throw new Error('batch twin without a result');
    results[i] = { message: twin.message, duplicate: true };
  });
  return results as { message: Message; duplicate: boolean }[];
}

export async function getMessageById({ id }: { id: string }, ex: Executor = getDb()): Promise<Message | undefined> {
  const [row] = await ex.select().from(messages).where(eq(messages.id, id)).limit(1);
  return row;
}

const messageRows = tableRows(messages);
const MESSAGES_BY_IDS_SQL = `select ${messageRows.select('m')} from messages m where m.id in (select jsonb_array_elements_text($1::jsonb))`;

/** Messages by id, in no particular order (a raw statement: the conversation list asks for hundreds; see tableRows). */
export async function getMessagesByIds({ ids }: { ids: string[] }, ex: Executor = getDb()): Promise<Message[]> {
  if (ids.length === 0) return [];
  const params = [JSON.stringify(ids)];
  const rows = ex === getDb() ? await rawQuery(MESSAGES_BY_IDS_SQL, params, ['jsonb']) : rowsOf<Record<string, unknown>>(await ex.execute(toSql(MESSAGES_BY_IDS_SQL, params)));
  return rows.map((r) => messageRows.map(r));
}

/** A page of a conversation, oldest first. `afterSeq`: the next ones after; otherwise the newest before `beforeSeq`. */
export async function listMessagesPage(
  { conversationId, beforeSeq, afterSeq, fromSeq, limit }: { conversationId: string; beforeSeq?: number; afterSeq?: number; fromSeq: number; limit: number },
  ex: Executor = getDb(),
): Promise<{ rows: Message[]; hasMore: boolean }> {
  // Thread replies stay out of the timeline, unless also sent to the channel.
  const base = [eq(messages.conversationId, conversationId), gte(messages.seq, fromSeq), sql`(${messages.threadId} is null or ${messages.alsoToChannel})`];
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

export type SenderRow = Pick<User, 'id' | 'username' | 'displayName' | 'avatarKey'> & { isBot?: boolean };

export interface MessageExtras {
  senders: Map<string, SenderRow>;
  reactions: Map<string, { emoji: string; userId: string }[]>;
  attachments: Map<string, Attachment[]>;
  mentions: Map<string, string[]>;
  replies: Map<string, Message>;
}

/** Everything a message DTO needs beyond its row, for many messages in a few queries. */
export async function loadMessageExtras(
  { rows, knownSenders }: { rows: Message[]; knownSenders?: Map<string, SenderRow> },
  ex: Executor = getDb(),
): Promise<MessageExtras> {
  const known = rows.map((m) => justInserted.get(m));
  const unknownIds = rows.filter((_, i) => !known[i]).map((m) => m.id);
  const withAttachments = rows.filter((_, i) => !known[i] || known[i]!.attachments).map((m) => m.id);
  const replyIds = [...new Set(rows.map((m) => m.replyToId).filter((x): x is string => !!x))];
  const replies = replyIds.length ? await getMessagesByIds({ ids: replyIds }, ex) : [];
  const senderIds = [...new Set([...rows, ...replies].map((m) => m.senderId).filter((x): x is string => !!x && !knownSenders?.has(x)))];
  const [senderRows, reactionRows, attachmentRows, storedMentions] = await Promise.all([
    senderIds.length ? ex.select().from(users).where(inIds(users.id, senderIds)) : Promise.resolve([] as User[]),
    unknownIds.length
      ? ex
          .select({ messageId: reactions.messageId, emoji: reactions.emoji, userId: reactions.userId })
          .from(reactions)
          .where(inIds(reactions.messageId, unknownIds))
          .orderBy(asc(reactions.createdAt))
      : Promise.resolve([]),
    withAttachments.length
      ? ex.select().from(attachments).where(inIds(attachments.messageId, withAttachments)).orderBy(asc(attachments.createdAt))
      : Promise.resolve([] as Attachment[]),
    unknownIds.length ? ex.select().from(mentions).where(inIds(mentions.messageId, unknownIds)) : Promise.resolve([]),
  ]);
  const mentionRows = [...storedMentions, ...rows.flatMap((m, i) => (known[i]?.mentions ?? []).map((userId) => ({ messageId: m.id, userId })))];
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
    senders: new Map<string, SenderRow>([...(knownSenders ?? []), ...senderRows.map((u) => [u.id, u] as const)]),
    reactions: group(reactionRows, (r) => r.messageId),
    attachments: group(attachmentRows, (a) => a.messageId!),
    mentions: new Map([...group(mentionRows, (m) => m.messageId)].map(([k, v]) => [k, v.map((x) => x.userId)])),
    replies: new Map(replies.map((m) => [m.id, m])),
  };
}

/**
 * A new body, with its mentions and keyword matches as they are now (both replaced) and its link preview dropped
 * when its first link changed (`dropPreview`). Answers the row and who matches a keyword now and did not before.
 */
export async function updateMessageBody(
  { id, body, mentionUserIds, keywordUserIds, dropPreview }: { id: string; body: string; mentionUserIds: string[]; keywordUserIds: string[]; dropPreview: boolean },
  ex: Executor = getDb(),
): Promise<{ row: Message; newKeywordUserIds: string[] } | undefined> {
  return ex.transaction(async (tx) => {
    const [row] = await tx
      .update(messages)
      .set({ body, editedAt: new Date() })
      .where(and(eq(messages.id, id), isNull(messages.deletedAt)))
      .returning();
    if (!row) return undefined;
    await tx.delete(mentions).where(eq(mentions.messageId, id));
    if (mentionUserIds.length) await tx.insert(mentions).values(mentionUserIds.map((userId) => ({ messageId: id, userId }))).onConflictDoNothing();
    const before = await tx.delete(keywordMentions).where(eq(keywordMentions.messageId, id)).returning({ userId: keywordMentions.userId });
    if (keywordUserIds.length) await tx.insert(keywordMentions).values(keywordUserIds.map((userId) => ({ messageId: id, userId }))).onConflictDoNothing();
    if (dropPreview) await tx.delete(messagePreviews).where(eq(messagePreviews.messageId, id));
    const had = new Set(before.map((b) => b.userId));
    return { row, newKeywordUserIds: keywordUserIds.filter((u) => !had.has(u)) };
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
 * Above this many matches in the whole table (the planner's own estimate, from the search column's statistics), ranking
 * every match costs more than a person waits: 250,000 matches of `deploy:*` among 2,000,000 messages take 600 ms on
 * PostgreSQL, nearly all of it reading the matching rows. Such a word is searched in recent history first.
 */
export const COMMON_WORD_MATCHES = 20_000;
/**
 * A common word is looked for in the newest messages of each of the caller's conversations: this many in all,
 * shared between their conversations (at least 200 each), so the rows read have a bound whatever the word.
 */
export const RECENT_MESSAGES_READ = 50_000;

/** The planner's estimate of how many stored messages match (EXPLAIN reads the statistics; nothing is scanned). */
export async function estimateMatches(tsquery: string, ex: Executor = getDb()): Promise<number> {
  const [row] = rowsOf<Record<string, unknown>>(
    await ex.execute(sql`explain (format json) select 1 from ${messages} where ${messages.search} @@ to_tsquery('simple', ${tsquery})`),
  );
  const raw = row ? Object.values(row)[0] : undefined;
  const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan?: { 'Plan Rows'?: number } }[] | undefined;
  return Number(plan?.[0]?.Plan?.['Plan Rows'] ?? 0);
}

export interface SearchParams {
  userId: string;
  tsquery: string;
  conversationId?: string;
  senderId?: string;
  limit: number;
}

/**
 * Full text over the caller's conversations (tsvector + GIN, ranked, with highlighted snippets). Never a
 * conversation they are not in, a deleted message, or one from before they could see the history.
 *
 * A rare word ranks every match (the GIN index finds them). A common one (more than COMMON_WORD_MATCHES estimated)
 * ranks the newest `limit` matches of each conversation, found by walking `messages_conversation_seq_idx` backwards
 * through at most its share of RECENT_MESSAGES_READ, so its cost does not grow with the history; when recent
 * history has fewer than `limit` matches, every match is ranked after all.
 */
export async function searchMessages(params: SearchParams, ex: Executor = getDb()): Promise<SearchRow[]> {
  if ((await estimateMatches(params.tsquery, ex)) > COMMON_WORD_MATCHES) {
    const ids = await recentMatchIds(params, ex);
    if (ids.length >= params.limit) return rankedMatches(params, ex, ids);
  }
  return rankedMatches(params, ex);
}

/**
 * The ids of the best `limit` among the newest matches of each of the caller's conversations (see searchMessages).
 * The match is `ts_match_vq` (what `@@` calls), not the operator, so it is a filter on the walk and never a GIN probe:
 * a plan made without the word (a generic plan) would otherwise probe the index once per conversation, reading all
 * 250,000 matches 200 times (20 s, measured).
 */
async function recentMatchIds(params: SearchParams, ex: Executor): Promise<string[]> {
  return rowsOf<{ id: string }>(await ex.execute(recentMatchesSql(params))).map((r) => r.id);
}

/** The statement of recentMatchIds (bench/workspace.ts prints its plan). */
export function recentMatchesSql({ userId, tsquery, conversationId, senderId, limit }: SearchParams) {
  // One tsquery for the statement (an InitPlan), not parsed again for each row a generic plan would read.
  const q = sql`(select to_tsquery('simple', ${tsquery}))`;
  const inConversation = conversationId ? sql`and cm.conversation_id = ${conversationId}` : sql``;
  const share = sql`(select greatest(200, ${RECENT_MESSAGES_READ}::int / greatest(count(*), 1)) from ${conversationMembers} cm
    where cm.user_id = ${userId} ${inConversation})`;
  return sql`select m.id from ${conversationMembers} cm
      join ${conversations} c on c.id = cm.conversation_id
      cross join lateral (
        select m.id, m.created_at, ts_rank(m.search, ${q}) as rank from ${messages} m
        where m.conversation_id = cm.conversation_id and m.seq >= greatest(cm.visible_from_seq, c.last_seq - ${share})
          and ts_match_vq(m.search, ${q}) and m.deleted_at is null and m.kind = 'user' ${senderId ? sql`and m.sender_id = ${senderId}` : sql``}
        order by m.seq desc limit ${limit}
      ) m
      where cm.user_id = ${userId} ${inConversation}
      order by m.rank desc, m.created_at desc limit ${limit}`;
}

async function rankedMatches(
  { userId, tsquery, conversationId, senderId, limit }: SearchParams,
  ex: Executor,
  ids?: string[],
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
        ids ? inIds(messages.id, ids) : undefined,
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

// ---------------------------------------------------------------------------------------------------------------
// The send path's checks in ONE statement per batch of concurrent sends

/** Everything sendMessage needs to decide and to build the DTO, for one (conversation, sender). */
export interface SendContext {
  conversation: { id: string; kind: 'channel' | 'direct' | 'group'; title: string | null; archived: boolean };
  member: { visibleFromSeq: number; role: 'owner' | 'admin' | 'member' };
  sender: SenderRow;
  /** Direct conversation and a block either way between the two. */
  blocked: boolean;
  /** Someone else in the conversation (not muted) has a push subscription: only then is push worth a look. */
  hasPush: boolean;
}

/**
 * Membership, conversation, the sender's profile, the block state of a direct conversation and "does anyone
 * else here have push" for many (conversation, user) pairs in one statement. The lookups are LATERAL … LIMIT 1
 * so they stay primary-key probes per pair (the planner guesses 100 rows for jsonb_to_recordset and would
 * otherwise hash-join a sequential scan of users). Built once (constant text, one
 * jsonb parameter): the database prepares it once, and nothing is rebuilt per call.
 */
export const SEND_CONTEXT_SQL = `
  select x.c, x.u, c.kind, c.title, c.archived, cm.visible_from_seq, cm.role,
         u.username, u.display_name, u.avatar_key, u.is_bot,
         (c.kind = 'direct' and exists (
            select 1 from conversation_members o
            join blocks b on (b.blocker_id = x.u and b.blocked_id = o.user_id) or (b.blocker_id = o.user_id and b.blocked_id = x.u)
            where o.conversation_id = x.c and o.user_id <> x.u)) as blocked,
         exists (
            select 1 from conversation_members pm join push_subscriptions ps on ps.user_id = pm.user_id
            where pm.conversation_id = x.c and pm.user_id <> x.u and pm.muted = false) as has_push
  from jsonb_to_recordset($1::jsonb) as x(c text, u text)
  cross join lateral (select * from conversation_members m where m.conversation_id = x.c and m.user_id = x.u limit 1) cm
  cross join lateral (select * from conversations k where k.id = x.c limit 1) c
  cross join lateral (select * from users s where s.id = x.u limit 1) u`;

interface RawClient {
  query?: (text: string, params: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;
  exec?: (text: string) => Promise<{ rows: Record<string, unknown>[] }[]>;
  unsafe?: (text: string, params: unknown[], opts: { prepare: boolean }) => Promise<Record<string, unknown>[]>;
}

/**
 * PGlite: statements PREPAREd in its one session, by text. On globalThis: server.ts and Next's bundle each load
 * this module but share the one PGlite session. The name is a hash of the text, so two copies agree on it.
 */
const gp = globalThis as unknown as { __chattrixPrepared?: WeakMap<object, Map<string, Promise<string | null>>> };
const pglitePrepared = (gp.__chattrixPrepared ??= new WeakMap());

function statementName(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return `chattrix_hot_${(h >>> 0).toString(36)}_${text.length}`;
}

/** A string literal: with standard_conforming_strings on (checked at prepare), doubling quotes is the whole escape. */
const literal = (v: unknown) => {
  const s = String(v);
  if (s.includes('\u0000')) throw new Error('NUL in a statement parameter');
  return `'${s.replace(/'/g, "''")}'`;
};

async function preparePglite(client: RawClient, text: string, types: string[]): Promise<string | null> {
  let byText = pglitePrepared.get(client);
  if (!byText) pglitePrepared.set(client, (byText = new Map()));
  let name = byText.get(text);
  if (!name) {
    name = (async () => {
      const [scs] = await client.exec!('show standard_conforming_strings');
      if (scs?.rows[0]?.standard_conforming_strings !== 'on') return null;
      const id = statementName(text);
      try {
        await client.exec!(`prepare ${id}(${types.join(', ')}) as ${text}`);
      } catch (e) {
        if ((e as { code?: string }).code !== '42P05') throw e; // already prepared (by the other module copy)
      }
      return id;
    })();
    name.catch(() => byText.delete(text));
    byText.set(text, name);
  }
  return name;
}

/**
 * A constant statement straight on the driver, for the hot statements of the send path only: no query-builder
 * work per call, and prepared once. postgres-js: a named prepared statement. PGlite: its `query` parses, analyses
 * and plans every time (a large part of a statement's cost there), so the statement is PREPAREd once in its
 * session and run with EXECUTE, the parameters as quoted literals. `types` names the parameters' types in order.
 */
export async function rawQuery(text: string, params: unknown[], types?: string[]): Promise<Record<string, unknown>[]> {
  const client = (getDb() as unknown as { $client: RawClient }).$client;
  if (client.unsafe) return client.unsafe(text, params, { prepare: true });
  if (types && client.exec) {
    const name = await preparePglite(client, text, types);
    if (name) {
      const results = await client.exec(`execute ${name}(${params.map(literal).join(', ')})`);
      return results[results.length - 1]?.rows ?? [];
    }
  }
  return (await client.query!(text, params)).rows;
}

function sendContexts(pairs: { c: string; u: string }[]): Promise<Map<string, SendContext>> {
  return rawQuery(SEND_CONTEXT_SQL, [JSON.stringify(pairs)], ['jsonb']).then((rows) => {
    const found = new Map<string, SendContext>();
    for (const r of rows) {
      found.set(pairKey(r.c as string, r.u as string), {
        conversation: { id: r.c as string, kind: r.kind as SendContext['conversation']['kind'], title: (r.title as string | null) ?? null, archived: r.archived === true },
        member: { visibleFromSeq: Number(r.visible_from_seq), role: r.role as SendContext['member']['role'] },
        sender: { id: r.u as string, username: r.username as string, displayName: r.display_name as string, avatarKey: (r.avatar_key as string | null) ?? null, isBot: r.is_bot === true },
        blocked: r.blocked === true,
        hasPush: r.has_push === true,
      });
    }
    return found;
  });
}

/**
 * The send context of (conversation, user), or undefined when the user is not a member. Coalesced like
 * getMembership: every lookup asked for while one is in flight goes out together in the next statement, and
 * each answer comes from a statement issued after it was asked for (never staler than its own query would be).
 */
export function loadSendContext({ conversationId, userId }: { conversationId: string; userId: string }): Promise<SendContext | undefined> {
  const g = globalThis as unknown as { __chattrixSendContextLoader?: PairCoalescer<SendContext> };
  return (g.__chattrixSendContextLoader ??= new PairCoalescer(sendContexts)).load(conversationId, userId);
}
