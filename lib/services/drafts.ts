import * as dq from '../../db/queries/drafts';
import type { Draft } from '../../db/schema';
import type { Actor } from '../auth/actor';
import { publishToUsers } from '../realtime/publish';
import { iso } from '../validation/dto';
import type { DraftDto } from '../validation/compose';
import { requireMembership } from './messages';

/**
 * Drafts: what a person typed and did not send, per conversation and thread, kept on the server so their other
 * devices show it. Every change is announced to the person's own sockets as `draft:updated` (body '' = gone),
 * carrying the saving tab's `origin` so that tab ignores its own echo (a save never causes another save).
 */
export function toDraftDto(d: Pick<Draft, 'conversationId' | 'threadId' | 'body' | 'updatedAt'>): DraftDto {
  return { conversationId: d.conversationId, threadId: d.threadId || null, body: d.body, updatedAt: iso(d.updatedAt)! };
}

export async function saveDraft(
  actor: Pick<Actor, 'id'>,
  conversationId: string,
  input: { body: string; threadId?: string; origin?: string },
): Promise<DraftDto | null> {
  await requireMembership(actor, conversationId);
  const key = { userId: actor.id, conversationId, threadId: input.threadId ?? '' };
  const at = new Date();
  if (input.body.trim() === '') {
    if (await dq.deleteDraft(key)) announce(actor.id, { conversationId, threadId: input.threadId ?? null, body: '', updatedAt: at.toISOString() }, input.origin);
    return null;
  }
  const existing = await dq.getDraft(key);
  if (existing?.body === input.body) return toDraftDto(existing);
  const dto = toDraftDto(await dq.upsertDraft({ ...key, body: input.body, at }));
  announce(actor.id, dto, input.origin);
  return dto;
}

export async function getDraft(actor: Pick<Actor, 'id'>, conversationId: string, threadId?: string): Promise<DraftDto | null> {
  await requireMembership(actor, conversationId);
  const row = await dq.getDraft({ userId: actor.id, conversationId, threadId: threadId ?? '' });
  return row ? toDraftDto(row) : null;
}

export async function listDrafts(actor: Pick<Actor, 'id'>): Promise<DraftDto[]> {
  return (await dq.listDrafts({ userId: actor.id })).map(toDraftDto);
}

interface DraftClear {
  key: { userId: string; conversationId: string; threadId: string };
  done: () => void;
  fail: (e: unknown) => void;
}
interface DraftClearer {
  queue: DraftClear[];
  running: boolean;
}
const clearer = ((globalThis as unknown as { __chattrixDraftClearer?: DraftClearer }).__chattrixDraftClearer ??= { queue: [], running: false });

/** One statement for every clear asked for while the previous one ran (a busy server sends hundreds a second). */
async function runClears(): Promise<void> {
  if (clearer.running) return;
  clearer.running = true;
  try {
    while (clearer.queue.length > 0) {
      const batch = clearer.queue.splice(0, 500);
      try {
        const removed = await dq.deleteDrafts({ keys: batch.map((b) => b.key) });
        const now = new Date().toISOString();
        for (const k of removed) announce(k.userId, { conversationId: k.conversationId, threadId: k.threadId || null, body: '', updatedAt: now });
        for (const b of batch) b.done();
      } catch (e) {
        for (const b of batch) b.fail(e);
      }
    }
  } finally {
    clearer.running = false;
  }
}

/**
 * After a send: the draft of that conversation/thread is gone on every device (no query result, no event). Clears
 * asked for together go out as one statement: a send costs no query of its own here.
 */
export function clearDraftAfterSend(userId: string, conversationId: string, threadId: string | null | undefined): Promise<void> {
  return new Promise<void>((done, fail) => {
    clearer.queue.push({ key: { userId, conversationId, threadId: threadId ?? '' }, done, fail });
    if (!clearer.running) setImmediate(() => void runClears());
  });
}

function announce(userId: string, draft: DraftDto, origin?: string): void {
  publishToUsers([userId], 'draft:updated', { draft, ...(origin ? { origin } : {}) });
}
