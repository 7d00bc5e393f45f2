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

/**
 * After sends: each author's draft of that conversation or thread is gone on every device. The write batcher calls
 * this once per batch of stored sends (lib/services/messages.ts), so a busy server clears drafts in one statement per
 * batch and a send costs no query of its own here. Only drafts that existed are announced.
 */
export async function clearDraftsAfterSend(keys: { userId: string; conversationId: string; threadId?: string | null }[]): Promise<void> {
  const removed = await dq.deleteDrafts({ keys: keys.map((k) => ({ ...k, threadId: k.threadId ?? '' })) });
  const now = new Date().toISOString();
  for (const k of removed) announce(k.userId, { conversationId: k.conversationId, threadId: k.threadId || null, body: '', updatedAt: now });
}

function announce(userId: string, draft: DraftDto, origin?: string): void {
  publishToUsers([userId], 'draft:updated', { draft, ...(origin ? { origin } : {}) });
}
