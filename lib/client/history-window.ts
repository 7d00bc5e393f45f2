import type { MessageDto } from '../validation/dto';

/**
 * A window on a long history: at most WINDOW_MAX messages are held (and in the page) at once, whatever the length of
 * the conversation. Loading older messages drops the newest beyond the limit, loading newer ones drops the oldest,
 * so a 50,000-message conversation scrolls from the newest to the first and back with a page that never grows.
 * The live timeline (the conversation's newest messages, kept by the chat store) becomes a window once reading goes
 * further back than LIVE_MAX messages, and becomes live again once reading comes back to the newest.
 */
export const WINDOW_MAX = 300;
/** The live timeline grows by older pages up to this many messages; beyond, reading back continues in a window. */
export const LIVE_MAX = 200;
/** One page of a window, either way. */
export const WINDOW_PAGE = 100;

export interface HistoryWindow {
  items: MessageDto[];
  /** Older messages exist before items[0]. */
  hasMore: boolean;
  /** Newer messages exist after the last item (until a page after it says there are none). */
  hasMoreAfter: boolean;
  loadingOlder: boolean;
  loadingNewer: boolean;
}

export interface PageAnswer {
  messages: MessageDto[];
  hasMore: boolean;
}

/** A window of these messages (a permalink's surroundings, or the live timeline as reading leaves it). */
export function windowOf(items: MessageDto[], hasMore: boolean, hasMoreAfter: boolean): HistoryWindow {
  return { items, hasMore, hasMoreAfter, loadingOlder: false, loadingNewer: false };
}

/** Keeps the messages in seq order with no repeat (a page can overlap what is held). */
function joined(a: MessageDto[], b: MessageDto[]): MessageDto[] {
  const seen = new Set(a.map((m) => m.id));
  return [...a, ...b.filter((m) => !seen.has(m.id))].sort((x, y) => x.seq - y.seq);
}

/** The page before the window's first message, added on top; the newest beyond WINDOW_MAX go. */
export function withOlder(w: HistoryWindow, page: PageAnswer): HistoryWindow {
  const items = joined(page.messages, w.items);
  const over = Math.max(0, items.length - WINDOW_MAX);
  return {
    ...w,
    items: over ? items.slice(0, items.length - over) : items,
    hasMore: page.hasMore,
    hasMoreAfter: w.hasMoreAfter || over > 0,
    loadingOlder: false,
  };
}

/** The page after the window's last message, added below; the oldest beyond WINDOW_MAX go. */
export function withNewer(w: HistoryWindow, page: PageAnswer): HistoryWindow {
  const items = joined(w.items, page.messages);
  const over = Math.max(0, items.length - WINDOW_MAX);
  return {
    ...w,
    items: over ? items.slice(over) : items,
    hasMore: w.hasMore || over > 0,
    hasMoreAfter: page.hasMore,
    loadingNewer: false,
  };
}

/** What the window shows: its own copy of each message, or the live one where the live timeline holds it (edits,
 * reactions and deletions that came while it was open). */
export function withLiveCopies(items: MessageDto[], live: MessageDto[] | undefined): MessageDto[] {
  if (!live?.length) return items;
  const byId = new Map(live.map((m) => [m.id, m]));
  let changed = false;
  const out = items.map((m) => {
    const l = byId.get(m.id);
    if (l && l !== m) changed = true;
    return l ?? m;
  });
  return changed ? out : items;
}
