import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { getDb, type Executor } from '../index';
import { conversationMembers, conversations, messages, users, type Conversation, type ConversationMember, type MemberRole, type User } from '../schema';
import { pairKey, PairCoalescer } from './coalescer';
import { rawQuery, toSql } from './messages';
import { inIds, rowsOf, tableRows } from './rows';

/**
 * Adds a new account to #general (the channel with a slug) and to the admin's default channels that are still
 * public and not archived. They start read up to now: a new person is not handed the whole history as unread.
 */
export async function joinPublicChannels({ userId, defaultIds = [] }: { userId: string; defaultIds?: string[] }, ex: Executor = getDb()): Promise<void> {
  const ids = defaultIds.length > 0 ? sql`or (id in (${sql.join(defaultIds.map((i) => sql`${i}`), sql`, `)}) and not private and not archived)` : sql``;
  await ex.execute(sql`
    insert into conversation_members (conversation_id, user_id, role, last_read_seq)
    select id, ${userId}, 'member', case when slug is null then last_seq else 0 end from conversations
    where kind = 'channel' and (slug is not null ${ids})
    on conflict do nothing`);
}

export async function getConversationById({ id }: { id: string }, ex: Executor = getDb()): Promise<Conversation | undefined> {
  const [row] = await ex.select().from(conversations).where(eq(conversations.id, id)).limit(1);
  return row;
}

export async function getConversationByDirectKey({ directKey }: { directKey: string }, ex: Executor = getDb()) {
  const [row] = await ex.select().from(conversations).where(eq(conversations.directKey, directKey)).limit(1);
  return row;
}

type MembershipRow = { member: ConversationMember; conversation: Conversation };

/**
 * A member and their conversation, or undefined. Lookups through the shared client are coalesced: every lookup
 * asked for while one query is in flight goes out together in the next query (one round trip for hundreds of
 * concurrent sends instead of one each). Each answer still comes from a query issued after it was asked for, so it
 * is never staler than a lookup of its own would be. Inside a transaction (`ex` given) it is a plain query.
 */
export async function getMembership(
  { conversationId, userId }: { conversationId: string; userId: string },
  ex?: Executor,
): Promise<MembershipRow | undefined> {
  if (!ex) return membershipLoader().load(conversationId, userId);
  const [row] = await ex
    .select({ member: conversationMembers, conversation: conversations })
    .from(conversationMembers)
    .innerJoin(conversations, eq(conversations.id, conversationMembers.conversationId))
    .where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, userId)))
    .limit(1);
  return row;
}

function membershipLoader(): PairCoalescer<MembershipRow> {
  const g = globalThis as unknown as { __chattrixMembershipLoader?: PairCoalescer<MembershipRow> };
  return (g.__chattrixMembershipLoader ??= new PairCoalescer(async (pairs) => {
    const rows = await getDb()
      .select({ member: conversationMembers, conversation: conversations })
      .from(conversationMembers)
      .innerJoin(conversations, eq(conversations.id, conversationMembers.conversationId))
      .where(
        sql`(${conversationMembers.conversationId}, ${conversationMembers.userId}) in (select x.c, x.u from jsonb_to_recordset(${JSON.stringify(pairs)}::jsonb) as x(c text, u text))`,
      );
    return new Map(rows.map((r) => [pairKey(r.member.conversationId, r.member.userId), r]));
  }));
}

/** Inserts a conversation; for a direct one, `on conflict do nothing` on its pair key (get-or-create). */
export async function insertConversation(
  { conversation }: { conversation: typeof conversations.$inferInsert },
  ex: Executor = getDb(),
): Promise<Conversation | undefined> {
  const [row] = await ex.insert(conversations).values(conversation).onConflictDoNothing().returning();
  return row;
}

export async function insertMembers(
  { members }: { members: (typeof conversationMembers.$inferInsert)[] },
  ex: Executor = getDb(),
): Promise<ConversationMember[]> {
  if (members.length === 0) return [];
  return ex.insert(conversationMembers).values(members).onConflictDoNothing().returning();
}

export async function deleteMember({ conversationId, userId }: { conversationId: string; userId: string }, ex: Executor = getDb()) {
  const rows = await ex
    .delete(conversationMembers)
    .where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, userId)))
    .returning();
  return rows[0];
}

export async function setMemberRole(
  { conversationId, userId, role }: { conversationId: string; userId: string; role: MemberRole },
  ex: Executor = getDb(),
) {
  await ex
    .update(conversationMembers)
    .set({ role })
    .where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, userId)));
}

export async function setMemberMuted(
  { conversationId, userId, muted }: { conversationId: string; userId: string; muted: boolean },
  ex: Executor = getDb(),
) {
  await ex
    .update(conversationMembers)
    .set({ muted })
    .where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, userId)));
}

export async function updateConversation(
  { id, patch }: { id: string; patch: Partial<Pick<Conversation, 'title' | 'updatedAt'>> },
  ex: Executor = getDb(),
) {
  const [row] = await ex.update(conversations).set(patch).where(eq(conversations.id, id)).returning();
  return row;
}

const conversationRows = tableRows(conversations);
const memberRows = tableRows(conversationMembers, 'm_');

/** What a member list shows of a user (not the whole row: no secrets, and a tenth of the columns to read and map). */
const memberUserRows = tableRows(users, 'u_', [
  'id',
  'username',
  'displayName',
  'avatarKey',
  'isBot',
  'lastSeenAt',
  'statusEmoji',
  'statusText',
  'statusClearAt',
  'dndUntil',
  'dndSchedule',
] as const);
/** What a member list needs of a membership: a listed page of 50 groups has thousands of members to read and map. */
const memberListRows = tableRows(conversationMembers, 'm_', ['conversationId', 'userId', 'role', 'lastReadMessageId', 'lastReadSeq'] as const);

export type MemberUser = ReturnType<typeof memberUserRows.map>;
export type MemberWithUser = ReturnType<typeof memberListRows.map> & { user: MemberUser };

const memberWithUser = (r: Record<string, unknown>): MemberWithUser => ({ ...memberListRows.map(r), user: memberUserRows.map(r) });

const MEMBERS_SQL = `
  select ${memberListRows.select('cm')}, ${memberUserRows.select('u')}
  from conversation_members cm
  join users u on u.id = cm.user_id
  where cm.conversation_id in (select jsonb_array_elements_text($1::jsonb))
  order by cm.joined_at asc, u.id asc`;

/** Every member of these conversations, with what a member list shows of each (a raw statement: see tableRows). */
export async function listMembers({ conversationIds }: { conversationIds: string[] }, ex: Executor = getDb()): Promise<MemberWithUser[]> {
  if (conversationIds.length === 0) return [];
  const params = [JSON.stringify(conversationIds)];
  const rows = ex === getDb() ? await rawQuery(MEMBERS_SQL, params, ['jsonb']) : rowsOf<Record<string, unknown>>(await ex.execute(toSql(MEMBERS_SQL, params)));
  return rows.map(memberWithUser);
}

const MEMBER_PREVIEW_SQL = `
  select ${memberListRows.select('cm')}, ${memberUserRows.select('u')}
  from jsonb_array_elements_text($1::jsonb) as listed(id)
  cross join lateral (
    select * from conversation_members m
    where m.conversation_id = listed.id
    order by (m.user_id = $2) desc, m.joined_at asc, m.user_id asc
    limit $3
  ) cm
  join users u on u.id = cm.user_id
  order by cm.joined_at asc, u.id asc`;

/**
 * At most `limit` members of each of these conversations, `userId` (the reader) always among them, then the earliest
 * to join; in the order they joined. A page of 50 groups of 50 would otherwise read, map and send 2,500 members.
 */
export async function listMemberPreviews({ conversationIds, userId, limit }: { conversationIds: string[]; userId: string; limit: number }): Promise<MemberWithUser[]> {
  if (conversationIds.length === 0) return [];
  const rows = await rawQuery(MEMBER_PREVIEW_SQL, [JSON.stringify(conversationIds), userId, limit], ['jsonb', 'text', 'int4']);
  return rows.map(memberWithUser);
}

const MEMBER_PAGE_SQL = `
  select ${memberListRows.select('cm')}, ${memberUserRows.select('u')}
  from conversation_members cm
  join users u on u.id = cm.user_id
  where cm.conversation_id = $1
    and ($2 = '' or u.username ilike $2 || '%' escape '\\' or u.display_name ilike '%' || $2 || '%' escape '\\')
    and u.username > $3
  order by u.username asc
  limit $4`;

/**
 * A page of a conversation's members by username, after `after` (a keyset: '' for the first page); `q` (a LIKE pattern,
 * escaped by the caller) matches the start of the username or anywhere in the display name.
 */
export async function listMemberPage({ conversationId, q, after, limit }: { conversationId: string; q: string; after: string; limit: number }): Promise<MemberWithUser[]> {
  const rows = await rawQuery(MEMBER_PAGE_SQL, [conversationId, q, after, limit], ['text', 'text', 'text', 'int4']);
  return rows.map(memberWithUser);
}

export async function listMemberIds({ conversationId }: { conversationId: string }, ex: Executor = getDb()): Promise<string[]> {
  const rows = await ex
    .select({ id: conversationMembers.userId })
    .from(conversationMembers)
    .where(eq(conversationMembers.conversationId, conversationId));
  return rows.map((r) => r.id);
}

export async function countMembers({ conversationIds }: { conversationIds: string[] }, ex: Executor = getDb()) {
  if (conversationIds.length === 0) return new Map<string, number>();
  const rows = await ex
    .select({ id: conversationMembers.conversationId, n: sql<number>`count(*)::int` })
    .from(conversationMembers)
    .where(inArray(conversationMembers.conversationId, conversationIds))
    .groupBy(conversationMembers.conversationId);
  return new Map(rows.map((r) => [r.id, Number(r.n)]));
}

export interface ConversationSummaryRow {
  conversation: Conversation;
  member: ConversationMember;
  lastMessageId: string | null;
  unreadCount: number;
  mentionCount: number;
  memberCount: number;
}


/**
 * The user's conversations (`$1`) with the last message id, unread and mention counts and the member count: all of
 * them, one (`$2`), or a page (after the keyset `$2` = updated_at, `$3` = id, at most `$4`). Constant statements run
 * straight on the driver (prepared once; see rawQuery): the list is the heaviest read a client makes at start and
 * after every reconnect. A page is sorted and cut before its counts are computed (PostgreSQL evaluates the
 * select-list subqueries after a Sort + Limit), so a page of 50 costs 50 rows' counts, not the person's 500.
 */
function summariesSql(mode: 'all' | 'one' | 'page'): string {
  return `
  select ${conversationRows.select('c')}, ${memberRows.select('cm')},${mode === 'page' ? ' c.updated_at::text as at_text,' : ''}
    (select m.id from messages m
      where m.conversation_id = c.id and m.seq >= cm.visible_from_seq and (m.thread_id is null or m.also_to_channel)
      order by m.seq desc limit 1) as last_message_id,
    (select count(*)::int from messages m
      where m.conversation_id = c.id and m.seq > cm.last_read_seq and m.seq >= cm.visible_from_seq
        and m.kind = 'user' and m.deleted_at is null and m.sender_id is distinct from $1
        and (m.thread_id is null or m.also_to_channel)) as unread_count,
    (select count(*)::int from messages m
      where m.id in (select mn.message_id from mentions mn where mn.user_id = $1
                     union select km.message_id from keyword_mentions km where km.user_id = $1)
        and m.conversation_id = c.id and m.seq > cm.last_read_seq and m.deleted_at is null
        and (m.thread_id is null or m.also_to_channel)) as mention_count,
    (select count(*)::int from conversation_members x where x.conversation_id = c.id) as member_count
  from conversation_members cm
  join conversations c on c.id = cm.conversation_id
  where cm.user_id = $1${mode === 'one' ? ' and cm.conversation_id = $2' : ''}${
    mode === 'page' ? ' and (c.updated_at < $2::text::timestamptz or (c.updated_at = $2::text::timestamptz and c.id > $3))' : ''
  }
  order by c.updated_at desc, c.id asc${mode === 'page' ? ' limit $4' : ''}`;
}
const SUMMARIES_SQL = summariesSql('all');
const SUMMARY_SQL = summariesSql('one');
/** Exported for the benchmark's EXPLAIN. */
export const SUMMARIES_PAGE_SQL = summariesSql('page');

/** Where a page of the list starts: after this conversation (its exact `updated_at` as text, and its id). */
export interface SummaryKey {
  at: string;
  id: string;
}

function toSummary(r: Record<string, unknown>): ConversationSummaryRow {
  return {
    conversation: conversationRows.map(r),
    member: memberRows.map(r),
    lastMessageId: (r.last_message_id as string | null) ?? null,
    unreadCount: Number(r.unread_count),
    mentionCount: Number(r.mention_count),
    memberCount: Number(r.member_count),
  };
}

function summaryRows(text: string, params: unknown[], types: string[], ex: Executor): Promise<Record<string, unknown>[]> {
  return ex === getDb() ? rawQuery(text, params, types) : ex.execute(toSql(text, params)).then((res) => rowsOf<Record<string, unknown>>(res));
}

/** The user's conversations (or one of them), most recent activity first, with the last message id and unread/mention counts. */
export async function listConversationSummaries(
  { userId, conversationId }: { userId: string; conversationId?: string },
  ex: Executor = getDb(),
): Promise<ConversationSummaryRow[]> {
  const rows = conversationId
    ? await summaryRows(SUMMARY_SQL, [userId, conversationId], ['text', 'text'], ex)
    : await summaryRows(SUMMARIES_SQL, [userId], ['text'], ex);
  return rows.map(toSummary);
}

/** A page of them: at most `limit` after `after` (none: from the top); `nextKey` is where the next page starts. */
export async function listConversationSummaryPage(
  { userId, after, limit }: { userId: string; after?: SummaryKey; limit: number },
  ex: Executor = getDb(),
): Promise<{ rows: ConversationSummaryRow[]; nextKey: SummaryKey | null }> {
  const rows = await summaryRows(SUMMARIES_PAGE_SQL, [userId, after?.at ?? 'infinity', after?.id ?? '', limit + 1], ['text', 'text', 'text', 'int4'], ex);
  const kept = rows.slice(0, limit);
  const last = kept[kept.length - 1];
  return { rows: kept.map(toSummary), nextKey: rows.length > limit && last ? { at: last.at_text as string, id: last.id as string } : null };
}

export async function updateReadPosition(
  { conversationId, userId, seq, messageId }: { conversationId: string; userId: string; seq: number; messageId: string },
  ex: Executor = getDb(),
): Promise<boolean> {
  const rows = await ex
    .update(conversationMembers)
    .set({ lastReadSeq: seq, lastReadMessageId: messageId })
    .where(
      and(
        eq(conversationMembers.conversationId, conversationId),
        eq(conversationMembers.userId, userId),
        sql`${conversationMembers.lastReadSeq} < ${seq}`,
      ),
    )
    .returning({ userId: conversationMembers.userId });
  return rows.length > 0;
}

/** Members of a conversation among these usernames (case-insensitive): who an `@username` mentions. */
export async function findMembersByUsernames(
  { conversationId, usernames }: { conversationId: string; usernames: string[] },
  ex: Executor = getDb(),
): Promise<string[]> {
  if (usernames.length === 0) return [];
  const rows = await ex
    .select({ id: users.id })
    .from(users)
    .innerJoin(conversationMembers, and(eq(conversationMembers.userId, users.id), eq(conversationMembers.conversationId, conversationId)))
    .where(inArray(sql`lower(${users.username})`, usernames.map((u) => u.toLowerCase())));
  return rows.map((r) => r.id);
}

/** The other member of a direct conversation. */
export async function otherDirectMember({ conversationId, userId }: { conversationId: string; userId: string }, ex: Executor = getDb()) {
  const rows = await ex
    .select({ id: conversationMembers.userId })
    .from(conversationMembers)
    .where(and(eq(conversationMembers.conversationId, conversationId), sql`${conversationMembers.userId} <> ${userId}`))
    .limit(1);
  return rows[0]?.id;
}

/**
 * Adds many plain members in ONE statement with ONE parameter (a comma-joined id list, ids being [A-Za-z0-9_-]):
 * a 1,000-member group costs one short query instead of a 5,000-parameter VALUES list. Returns nothing.
 */
export async function insertMembersBulk(
  { conversationId, userIds, role = 'member' }: { conversationId: string; userIds: string[]; role?: 'member' | 'admin' | 'owner' },
  ex: Executor = getDb(),
): Promise<void> {
  if (userIds.length === 0) return;
  if (userIds.some((id) => !/^[A-Za-z0-9_-]+$/.test(id))) throw new Error('insertMembersBulk: invalid id');
  await ex.execute(
    sql`insert into ${conversationMembers} (conversation_id, user_id, role)
        select ${conversationId}, u, ${role} from unnest(string_to_array(${userIds.join(',')}, ',')) as u
        on conflict do nothing`,
  );
}
