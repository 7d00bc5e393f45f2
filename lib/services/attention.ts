/**
 * What reaches a person's attention: per-conversation notification levels, keywords that count as mentions,
 * a status (emoji, text, clears at a time) and do-not-disturb (until a time, or a daily schedule in a time zone).
 */
import * as aq from '../../db/queries/attention';
import { getUserById } from '../../db/queries/users';
import { listWhoBlocked } from '../../db/queries/blocks';
import type { User } from '../../db/schema';
import type { Actor } from '../auth/actor';
import { AppError } from '../errors';
import { publishToUsers } from '../realtime/publish';
import { iso } from '../validation/dto';
import type { DndSchedule, DndStateDto, NotifyLevel, SetDndInput, SetStatusInput, StatusDto } from '../validation/attention';
import { announcePresenceChange } from '../realtime/handlers/presence';

// ---------------------------------------------------------------------------------------------------------------
// Notification levels

/** Channels with more members than this default to "mentions only"; everything else to "all messages". */
export const MENTIONS_DEFAULT_ABOVE = 50;

export function effectiveNotify(stored: NotifyLevel | null | undefined, kind: 'channel' | 'direct' | 'group', memberCount: number): NotifyLevel {
  if (stored) return stored;
  return kind === 'channel' && memberCount > MENTIONS_DEFAULT_ABOVE ? 'mentions' : 'all';
}

/** The counts a level lets through: the badge (sidebar, tab title, app icon) and the mention count. */
export function countsFor(notify: NotifyLevel, unreadCount: number, mentionCount: number): { badgeCount: number; mentionCount: number } {
  if (notify === 'none') return { badgeCount: 0, mentionCount: 0 };
  if (notify === 'mentions') return { badgeCount: mentionCount, mentionCount };
  return { badgeCount: unreadCount, mentionCount };
}

// ---------------------------------------------------------------------------------------------------------------
// Status and do-not-disturb

export function statusOf(u: Pick<User, 'statusEmoji' | 'statusText' | 'statusClearAt'>, now = Date.now()): StatusDto | null {
  if (!u.statusEmoji && !u.statusText) return null;
  if (u.statusClearAt && u.statusClearAt.getTime() <= now) return null;
  return { emoji: u.statusEmoji, text: u.statusText, clearAt: iso(u.statusClearAt) };
}

/** One formatter per time zone (making one costs tens of microseconds), and the local time it last gave: a member
 * list asks for each member, nearly always within the same minute, and formatting costs microseconds too. */
const clocks = new Map<string, { format: Intl.DateTimeFormat; minute: number; local: number }>();

function localMinutes(timeZone: string, at: number): number {
  const minute = Math.floor(at / 60_000);
  let clock = clocks.get(timeZone);
  if (!clock) clocks.set(timeZone, (clock = { format: new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }), minute: NaN, local: 0 }));
  if (clock.minute === minute) return clock.local;
  const parts = clock.format.formatToParts(at);
  const h = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
  const m = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
  clock.minute = minute;
  clock.local = h * 60 + m;
  return clock.local;
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether `at` falls inside the daily schedule (which may run across midnight), and when that period ends. */
export function scheduleState(s: DndSchedule, at: number): { active: boolean; endsAt: Date | null } {
  const t = localMinutes(s.timeZone, at);
  const start = toMinutes(s.start);
  const end = toMinutes(s.end);
  const active = start < end ? t >= start && t < end : t >= start || t < end;
  if (!active) return { active, endsAt: null };
  const minutesLeft = (end - t + 1440) % 1440;
  const endsAt = new Date(Math.floor(at / 60_000) * 60_000 + minutesLeft * 60_000);
  return { active, endsAt };
}

export function dndOf(u: Pick<User, 'dndUntil' | 'dndSchedule'>, now = Date.now()): DndStateDto {
  const until = u.dndUntil && u.dndUntil.getTime() > now ? u.dndUntil : null;
  const sched = u.dndSchedule ? scheduleState(u.dndSchedule, now) : { active: false, endsAt: null };
  const active = !!until || sched.active;
  let endsAt: Date | null = null;
  if (until && sched.active) endsAt = until.getTime() > sched.endsAt!.getTime() ? until : sched.endsAt;
  else endsAt = until ?? sched.endsAt;
  return { active, endsAt: active ? iso(endsAt) : null, until: iso(until), schedule: u.dndSchedule ?? null };
}

export function isDndActive(u: Pick<User, 'dndUntil' | 'dndSchedule'>, now = Date.now()): boolean {
  return dndOf(u, now).active;
}

/** What others see of a person's attention state (never the schedule or its time zone). */
export function publicAttention(u: Pick<User, 'statusEmoji' | 'statusText' | 'statusClearAt' | 'dndUntil' | 'dndSchedule'>, now = Date.now()): { status: StatusDto | null; dnd: boolean; dndEndsAt: string | null } {
  const d = dndOf(u, now);
  return { status: statusOf(u, now), dnd: d.active, dndEndsAt: d.endsAt };
}

async function me(actor: Pick<Actor, 'id'>): Promise<User> {
  const u = await getUserById({ id: actor.id });
  if (!u) throw new AppError('unauthorized', 'This account no longer exists');
  return u;
}

export async function getAttention(actor: Pick<Actor, 'id'>) {
  const u = await me(actor);
  return { status: statusOf(u), dnd: dndOf(u), keywords: u.keywords };
}

export async function setStatus(actor: Pick<Actor, 'id'>, input: SetStatusInput): Promise<StatusDto | null> {
  const emoji = input.emoji || null;
  const text = input.text || null;
  const clear = !emoji && !text;
  const u = await aq.updateAttention({
    id: actor.id,
    patch: clear ? { statusEmoji: null, statusText: null, statusClearAt: null } : { statusEmoji: emoji, statusText: text, statusClearAt: input.clearAt ? new Date(input.clearAt) : null },
  });
  if (!u) throw new AppError('unauthorized', 'This account no longer exists');
  if (u.statusClearAt) wakeSweeperBy(u.statusClearAt);
  await announcePresenceChange(u.id, { wide: true });
  return statusOf(u);
}

export async function setDnd(actor: Pick<Actor, 'id'>, input: SetDndInput): Promise<DndStateDto> {
  const u = await aq.updateAttention({
    id: actor.id,
    patch: { dndUntil: input.until ? new Date(input.until) : null, dndSchedule: input.schedule ?? null },
  });
  if (!u) throw new AppError('unauthorized', 'This account no longer exists');
  if (u.dndUntil) wakeSweeperBy(u.dndUntil);
  scheduleSeen().set(u.id, dndOf(u).active);
  await announcePresenceChange(u.id, { wide: true });
  return dndOf(u);
}

// ---------------------------------------------------------------------------------------------------------------
// Keywords

export async function setKeywords(actor: Pick<Actor, 'id'>, keywords: string[]): Promise<string[]> {
  const u = await aq.updateAttention({ id: actor.id, patch: { keywords } });
  if (!u) throw new AppError('unauthorized', 'This account no longer exists');
  keywordCache().loadedAt = 0;
  publishToUsers([u.id], 'preferences:updated', { keywords: u.keywords });
  return u.keywords;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function keywordRegExp(keywords: string[]): RegExp | null {
  if (keywords.length === 0) return null;
  return new RegExp(`(?<![\\p{L}\\p{N}_])(?:${keywords.map(escapeRe).join('|')})(?![\\p{L}\\p{N}_])`, 'iu');
}

interface KeywordCache {
  loadedAt: number;
  loading?: Promise<void>;
  owners: { id: string; re: RegExp }[];
}
/** Keyword owners are few: cached for 30 s (and reloaded at once after a change on this node). */
const KEYWORD_TTL_MS = 30_000;
function keywordCache(): KeywordCache {
  const g = globalThis as unknown as { __chattrixKeywords?: KeywordCache };
  return (g.__chattrixKeywords ??= { loadedAt: 0, owners: [] });
}

async function keywordOwners(): Promise<KeywordCache['owners']> {
  const c = keywordCache();
  if (Date.now() - c.loadedAt > KEYWORD_TTL_MS) {
    c.loading ??= aq
      .listKeywordOwners()
      .then((rows) => {
        c.owners = rows.flatMap((r) => {
          const re = keywordRegExp(r.keywords);
          return re ? [{ id: r.id, re }] : [];
        });
        c.loadedAt = Date.now();
      })
      .finally(() => {
        c.loading = undefined;
      });
    await c.loading;
  }
  return c.owners;
}

/**
 * Members of the conversation (not the author, not anyone who blocked them) one of whose keywords is in the body.
 * Costs no query unless a keyword matches.
 */
export async function resolveKeywordMentions(conversationId: string, body: string, authorId: string, already: string[] = []): Promise<string[]> {
  const owners = await keywordOwners();
  if (owners.length === 0) return [];
  const skip = new Set([authorId, ...already]);
  const candidates = owners.filter((o) => !skip.has(o.id) && o.re.test(body)).map((o) => o.id);
  if (candidates.length === 0) return [];
  const members = await aq.filterMembers({ conversationId, userIds: candidates });
  const blockedBy = new Set(await listWhoBlocked({ blockedId: authorId, blockerIds: members }));
  return members.filter((id) => !blockedBy.has(id));
}

// ---------------------------------------------------------------------------------------------------------------
// The sweeper: statuses clear and do-not-disturb periods end at their time (on every node; after a restart too)

interface Sweeper {
  timer?: ReturnType<typeof setTimeout>;
  dueAt: number;
  running: boolean;
}
const MAX_SLEEP_MS = 60_000;
function sweeper(): Sweeper {
  const g = globalThis as unknown as { __chattrixAttentionSweeper?: Sweeper };
  return (g.__chattrixAttentionSweeper ??= { dueAt: Infinity, running: false });
}
function scheduleSeen(): Map<string, boolean> {
  const g = globalThis as unknown as { __chattrixDndSeen?: Map<string, boolean> };
  return (g.__chattrixDndSeen ??= new Map());
}

function arm(at: number): void {
  const s = sweeper();
  if (!s.running) return;
  if (s.timer && at >= s.dueAt) return;
  if (s.timer) clearTimeout(s.timer);
  s.dueAt = at;
  s.timer = setTimeout(() => void sweep(), Math.max(0, Math.min(at - Date.now(), MAX_SLEEP_MS)));
  s.timer.unref();
}

/** A status or do-not-disturb set to end at `at`: the sweeper wakes up by then. */
export function wakeSweeperBy(at: Date): void {
  arm(at.getTime() + 50);
}

export async function sweepAttention(now = new Date()): Promise<string[]> {
  const [cleared, ended] = await Promise.all([aq.clearDueStatuses({ now }), aq.clearDueDnd({ now })]);
  const changed = new Set([...cleared, ...ended]);
  // Daily schedules switch on and off by the clock: announce each change once per node.
  const seen = scheduleSeen();
  for (const u of await aq.listUsersWithSchedules()) {
    const active = isDndActive(u, now.getTime());
    if (seen.has(u.id) && seen.get(u.id) !== active) changed.add(u.id);
    seen.set(u.id, active);
  }
  for (const id of changed) await announcePresenceChange(id, { wide: true }).catch(() => {});
  return [...changed];
}

async function sweep(): Promise<void> {
  const s = sweeper();
  s.timer = undefined;
  s.dueAt = Infinity;
  try {
    await sweepAttention();
    const next = await aq.nextAttentionDue();
    arm(next ? next.getTime() + 50 : Date.now() + MAX_SLEEP_MS);
  } catch (e) {
    console.error('[chattrix] attention sweep failed:', e);
    arm(Date.now() + MAX_SLEEP_MS);
  }
}

/** Starts the sweeper (at boot: what came due while the server was down clears at once). */
export function startAttentionSweeper(): () => void {
  const s = sweeper();
  s.running = true;
  arm(Date.now());
  return () => {
    s.running = false;
    if (s.timer) clearTimeout(s.timer);
    s.timer = undefined;
    s.dueAt = Infinity;
  };
}
