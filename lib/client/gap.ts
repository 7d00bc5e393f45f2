import type { MessageDto } from '../validation/dto';

/**
 * A live `message:created` whose `seq` is more than one past the newest message we hold means some were missed (a
 * pub/sub message lost between nodes, a socket that reconnected late). The gap is fetched (`after=` the newest we
 * hold) before the new message is shown, so a lost event costs a fetch, never a missing message.
 */
export type FetchAfter = (conversationId: string, afterId: string) => Promise<{ messages: MessageDto[]; hasMore: boolean }>;

/** True when `incoming` is not the next message after `newest` (and we hold one to measure from). */
export function hasGap(newest: Pick<MessageDto, 'seq'> | undefined, incoming: Pick<MessageDto, 'seq'>): boolean {
  return !!newest && incoming.seq > newest.seq + 1;
}

/** The messages between `newest` and `incoming`, then `incoming` itself, oldest first (at most `maxPages` fetches). */
export async function fillGap(newest: MessageDto, incoming: MessageDto, fetchAfter: FetchAfter, maxPages = 20): Promise<MessageDto[]> {
  const out: MessageDto[] = [];
  let after = newest.id;
  for (let i = 0; i < maxPages; i++) {
    const page = await fetchAfter(incoming.conversationId, after);
    const useful = page.messages.filter((m) => m.seq > newest.seq && m.seq < incoming.seq);
    out.push(...useful);
    const last = page.messages[page.messages.length - 1];
    if (!page.hasMore || !last || last.seq >= incoming.seq - 1) break;
    after = last.id;
  }
  out.push(incoming);
  return out;
}
