'use client';

import type { MessageDto, ThreadSummaryDto } from '../validation/dto';
import { mergeMessages, type ChatState, type ThreadMessages } from './store';

/** Thread replies into their threads (kept even before a thread is opened, like timeline messages). */
export function mergeThreadReplies(threads: ChatState['threads'], replies: MessageDto[]): ChatState['threads'] {
  const next = { ...threads };
  for (const m of replies) {
    const rootId = m.threadId!;
    const cur: ThreadMessages = next[rootId] ?? { root: null, items: [], hasMore: true, loaded: false, loadingOlder: false };
    next[rootId] = { ...cur, items: mergeMessages(cur.items, [m]) };
  }
  return next;
}

/** The outbox without the items these stored messages acknowledge. */
export function dropSent(s: ChatState, stored: MessageDto[]): ChatState['outbox'] {
  const sent = new Set(stored.filter((m) => m.sender?.id === s.me.id && m.clientId).map((m) => m.clientId));
  return sent.size ? s.outbox.filter((o) => !sent.has(o.clientId)) : s.outbox;
}

/** A root's thread summary, patched wherever the root is held (timeline, thread panel). */
export function patchRoot(s: ChatState, conversationId: string, rootId: string, patch: (t: ThreadSummaryDto | null | undefined) => ThreadSummaryDto): Partial<ChatState> {
  const out: Partial<ChatState> = {};
  const page = s.messages[conversationId];
  if (page?.items.some((m) => m.id === rootId)) {
    out.messages = { ...s.messages, [conversationId]: { ...page, items: page.items.map((m) => (m.id === rootId ? { ...m, thread: patch(m.thread) } : m)) } };
  }
  const t = s.threads[rootId];
  if (t?.root) out.threads = { ...s.threads, [rootId]: { ...t, root: { ...t.root, thread: patch(t.root.thread) } } };
  return out;
}

export const emptySummary: ThreadSummaryDto = { replyCount: 0, lastReplyAt: null, participantIds: [], following: false, unreadCount: 0 };
