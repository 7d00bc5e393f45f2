import { HIT_END, HIT_START, searchMessages } from '../../db/queries/messages';
import type { Actor } from '../auth/actor';
import type { MessageDto } from '../validation/dto';
import { hydrateMessages } from './messages';

export interface SearchResult {
  message: MessageDto;
  conversationId: string;
  rank: number;
  /** The snippet as segments; `hit` marks matched words (render as <mark>, never as HTML). */
  snippet: { text: string; hit: boolean }[];
}

/** Words → a prefix tsquery (`ana:* & lim:*`); nothing from the user reaches tsquery syntax. */
export function toPrefixQuery(q: string): string | null {
  const terms = q
    .normalize('NFKC')
    .split(/\s+/)
    .map((t) => t.replace(/[^\p{L}\p{N}_]/gu, '').toLowerCase())
    .filter(Boolean)
    .slice(0, 8);
  return terms.length ? terms.map((t) => `${t}:*`).join(' & ') : null;
}

export function splitSnippet(snippet: string): { text: string; hit: boolean }[] {
  const out: { text: string; hit: boolean }[] = [];
  let rest = snippet;
  while (rest.length) {
    const start = rest.indexOf(HIT_START);
    if (start < 0) {
      out.push({ text: rest, hit: false });
      break;
    }
    if (start > 0) out.push({ text: rest.slice(0, start), hit: false });
    const end = rest.indexOf(HIT_END, start);
    const hit = rest.slice(start + 1, end < 0 ? undefined : end);
    out.push({ text: hit, hit: true });
    rest = end < 0 ? '' : rest.slice(end + 1);
  }
  return out.filter((s) => s.text.length > 0);
}

const FRAGMENT_DELIMITER = ' … ';
const squash = (t: string) => t.replace(/\s+/g, ' ').trim();

/**
 * Marks a snippet that does not start (or end) where the message does with "…": ts_headline cuts fragments out of
 * the body without saying so, and a snippet that starts mid-sentence reads like the message itself.
 */
export function withEllipses(segments: { text: string; hit: boolean }[], body: string): { text: string; hit: boolean }[] {
  if (segments.length === 0) return segments;
  const plain = segments.map((x) => x.text).join('');
  const fragments = plain.split(FRAGMENT_DELIMITER);
  const whole = squash(body);
  const first = squash(fragments[0] ?? '');
  const last = squash(fragments[fragments.length - 1] ?? '');
  const out = [...segments];
  if (first && !whole.startsWith(first)) out.unshift({ text: '… ', hit: false });
  if (last && !whole.endsWith(last)) out.push({ text: ' …', hit: false });
  return out;
}

export async function search(
  actor: Actor,
  query: { q: string; conversationId?: string; senderId?: string; limit: number },
): Promise<SearchResult[]> {
  const tsquery = toPrefixQuery(query.q);
  if (!tsquery) return [];
  const rows = await searchMessages({ userId: actor.id, tsquery, conversationId: query.conversationId, senderId: query.senderId, limit: query.limit });
  const dtos = await hydrateMessages(rows.map((r) => r.message));
  return rows.map((r, i) => ({ message: dtos[i]!, conversationId: r.message.conversationId, rank: r.rank, snippet: withEllipses(splitSnippet(r.snippet), r.message.body) }));
}
