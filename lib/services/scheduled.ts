import * as sq from '../../db/queries/scheduled';
import { getUserById } from '../../db/queries/users';
import type { ScheduledMessage } from '../../db/schema';
import type { Actor } from '../auth/actor';
import { AppError } from '../errors';
import { newId } from '../ids';
import { logger } from '../observability/logger';
import { publishToUsers } from '../realtime/publish';
import { iso } from '../validation/dto';
import type { ScheduledDto } from '../validation/compose';
import { assertWritable, requireMembership, sendMessage } from './messages';
import { assertThreadRoot } from './threads';

/**
 * Scheduled messages ("Send later"): kept in `scheduled_messages` and sent at their time by the runner of any
 * node, through sendMessage like every other message. Claiming is one `UPDATE … WHERE status='pending'` over rows
 * picked `FOR UPDATE SKIP LOCKED`, so a row is sent by one node once; the send's clientId (`sched-{id}`) keeps it
 * once even when a node died between claiming and finishing and the row was released again.
 */
const MAX_AHEAD_MS = 366 * 24 * 3600_000;
const MAX_PENDING = 100;

export function toScheduledDto(r: ScheduledMessage): ScheduledDto {
  return {
    id: r.id,
    conversationId: r.conversationId,
    threadId: r.threadId,
    body: r.body,
    sendAt: iso(r.sendAt)!,
    status: r.status,
    messageId: r.messageId,
    error: r.error,
    createdAt: iso(r.createdAt)!,
  };
}

function checkTime(sendAt: Date): void {
  const now = Date.now();
  if (sendAt.getTime() <= now - 1000) throw new AppError('bad_request', 'sendAt is in the past', { issues: [{ path: ['sendAt'], message: 'Must be in the future' }] });
  if (sendAt.getTime() > now + MAX_AHEAD_MS) throw new AppError('bad_request', 'sendAt is more than a year ahead', { issues: [{ path: ['sendAt'], message: 'At most a year ahead' }] });
}

function announce(userId: string, row: ScheduledMessage): void {
  publishToUsers([userId], 'scheduled:updated', { scheduled: toScheduledDto(row) });
}

export async function createScheduled(
  actor: Actor,
  input: { conversationId: string; threadId?: string; body: string; sendAt: Date },
): Promise<ScheduledDto> {
  const { member, conversation } = await requireMembership(actor, input.conversationId);
  assertWritable(conversation);
  if (input.threadId) await assertThreadRoot(input.conversationId, input.threadId, member.visibleFromSeq);
  checkTime(input.sendAt);
  if ((await sq.listScheduled({ userId: actor.id })).length >= MAX_PENDING) throw new AppError('conflict', `At most ${MAX_PENDING} scheduled messages`);
  const row = await sq.insertScheduled({
    row: { id: newId(), userId: actor.id, conversationId: input.conversationId, threadId: input.threadId ?? null, body: input.body, sendAt: input.sendAt },
  });
  announce(actor.id, row);
  wakeScheduler(row.sendAt);
  return toScheduledDto(row);
}

export async function listScheduled(actor: Pick<Actor, 'id'>): Promise<ScheduledDto[]> {
  return (await sq.listScheduled({ userId: actor.id })).map(toScheduledDto);
}

async function own(actor: Pick<Actor, 'id'>, id: string): Promise<ScheduledMessage> {
  const row = await sq.getScheduled({ id });
  if (!row || row.userId !== actor.id) throw new AppError('not_found', 'No such scheduled message');
  return row;
}

const notPending = () => new AppError('conflict', 'This message is no longer waiting: it was sent or cancelled');

export async function getScheduled(actor: Pick<Actor, 'id'>, id: string): Promise<ScheduledDto> {
  return toScheduledDto(await own(actor, id));
}

export async function updateScheduled(actor: Pick<Actor, 'id'>, id: string, input: { body?: string; sendAt?: Date }): Promise<ScheduledDto> {
  await own(actor, id);
  if (input.sendAt) checkTime(input.sendAt);
  const row = await sq.updatePendingScheduled({ id, userId: actor.id, set: { ...(input.body !== undefined ? { body: input.body } : {}), ...(input.sendAt ? { sendAt: input.sendAt } : {}) } });
  if (!row) throw notPending();
  announce(actor.id, row);
  wakeScheduler(row.sendAt);
  return toScheduledDto(row);
}

export async function cancelScheduled(actor: Pick<Actor, 'id'>, id: string): Promise<void> {
  await own(actor, id);
  const row = await sq.updatePendingScheduled({ id, userId: actor.id, set: { status: 'cancelled' } });
  if (!row) throw notPending();
  announce(actor.id, row);
}

/** Sends it at once (claimed like the runner does, so it cannot also go out at its time). */
export async function sendScheduledNow(actor: Pick<Actor, 'id'>, id: string): Promise<ScheduledDto> {
  await own(actor, id);
  const [claimed] = await sq.claimDue({ now: new Date(), limit: 1, id });
  if (!claimed) throw notPending();
  return toScheduledDto(await deliver(claimed));
}

/** Sends one claimed row through sendMessage as its author; answers the finished row. */
async function deliver(row: ScheduledMessage): Promise<ScheduledMessage> {
  let finished: ScheduledMessage | undefined;
  try {
    const user = await getUserById({ id: row.userId });
    if (!user || user.deactivatedAt) throw new AppError('forbidden', 'The author can no longer send');
    const actor: Actor = { id: user.id, username: user.username, isAdmin: user.isAdmin, via: 'session' };
    const { message } = await sendMessage(actor, row.conversationId, { body: row.body, clientId: `sched-${row.id}`, ...(row.threadId ? { threadId: row.threadId } : {}) });
    finished = await sq.finishScheduled({ id: row.id, status: 'sent', messageId: message.id });
  } catch (e) {
    const message = e instanceof AppError ? e.message : 'Could not be sent';
    if (!(e instanceof AppError)) logger.error({ err: e, scheduledId: row.id }, 'scheduled send failed');
    finished = await sq.finishScheduled({ id: row.id, status: 'failed', error: message });
  }
  const out = finished ?? row;
  announce(row.userId, out);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The runner: one per node. A timer set to the next due time (re-read every POLL_MS, so rows created on other
// nodes are seen), woken early when this process creates or moves one.

const POLL_MS = 15_000;
const STALE_MS = 60_000;
const BATCH = 20;

interface Runner {
  timer?: NodeJS.Timeout;
  dueAt: number;
  running: boolean;
  again: boolean;
  stopped: boolean;
}
const g = globalThis as unknown as { __chattrixScheduler?: Runner };

/** Claims and sends everything due, then sets the timer for the next one. */
export async function runDueScheduled(now = new Date()): Promise<number> {
  let sent = 0;
  for (;;) {
    const rows = await sq.claimDue({ now, limit: BATCH });
    for (const row of rows) {
      await deliver(row);
      sent++;
    }
    if (rows.length < BATCH) return sent;
  }
}

function arm(r: Runner, at: number): void {
  if (r.stopped) return;
  const wait = Math.max(0, Math.min(at - Date.now(), POLL_MS));
  if (r.timer && r.dueAt <= Date.now() + wait) return;
  if (r.timer) clearTimeout(r.timer);
  r.dueAt = Date.now() + wait;
  r.timer = setTimeout(() => void tick(r), wait);
  r.timer.unref();
}

async function tick(r: Runner): Promise<void> {
  r.timer = undefined;
  if (r.running) {
    r.again = true;
    return;
  }
  r.running = true;
  try {
    await sq.releaseStale({ before: new Date(Date.now() - STALE_MS) });
    await runDueScheduled();
    const next = await sq.nextDueAt();
    if (!r.stopped) arm(r, next ? next.getTime() : Date.now() + POLL_MS);
  } catch (e) {
    logger.error({ err: e }, 'scheduled messages runner failed');
    if (!r.stopped) arm(r, Date.now() + POLL_MS);
  } finally {
    r.running = false;
    if (r.again) {
      r.again = false;
      void tick(r);
    }
  }
}

/** Called when this process created or moved a row: the timer moves earlier if needed. */
export function wakeScheduler(at: Date): void {
  const r = g.__chattrixScheduler;
  if (r && !r.stopped) arm(r, at.getTime());
}

/** Starts this node's runner (server.ts); returns a stop function. */
export function startScheduler(): () => void {
  const r: Runner = (g.__chattrixScheduler = { dueAt: 0, running: false, again: false, stopped: false });
  void tick(r);
  return () => {
    r.stopped = true;
    if (r.timer) clearTimeout(r.timer);
  };
}
