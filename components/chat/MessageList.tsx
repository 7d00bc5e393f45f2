'use client';

import { ArrowDown, Clock } from 'lucide-react';
import { Fragment, startTransition, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { OutboxItem } from '@/lib/client/store';
import type { MemberDto, MessageDto } from '@/lib/validation/dto';
import { useTranslations } from 'next-intl';
import { useFormat } from '@/components/i18n/useFormat';
import { sameDay } from './format';
import { Attachments } from './Attachments';
import { RichText } from './RichText';
import { MessageItem, type MessageActions } from './MessageItem';
import { JumpToUnread } from './JumpToUnread';
import { useRovingMessages } from './useRovingMessages';

const GROUP_GAP_MS = 5 * 60_000;
/**
 * How many of the newest messages a conversation draws when it opens at its live end: more than a tall screen holds.
 * The rest are drawn right after, in an interruptible render, so a switch shows the newest messages after a third of
 * the work (rendering and laying out 100 messages was most of a switch's time).
 */
const FIRST_DRAW = 30;

interface Props {
  meId: string;
  kind: 'direct' | 'group' | 'channel';
  messages: MessageDto[];
  pending: OutboxItem[];
  hasMore: boolean;
  loadingOlder: boolean;
  members: MemberDto[];
  onLoadOlder: () => void;
  onRetry: (clientId: string) => void;
  onDiscard: (clientId: string) => void;
  onAtBottomChange: (atBottom: boolean) => void;
  scrollToBottomSignal: number;
  meUsername: string;
  canModerate: boolean;
  canPin: boolean;
  editingId: string | null;
  highlightId: string | null;
  actions: MessageActions;
  /** The log's accessible name (the thread panel has its own). */
  label?: string;
  /** No "Seen" lines (a thread's replies have no per-member read positions). */
  noReceipts?: boolean;
  /** Above the first message when the whole history is held (a thread says so of itself). */
  startText?: string;
  /** Messages after this seq were unread when the conversation opened: a "New" divider goes before the first. */
  unreadAfterSeq?: number | null;
  /** The live end of the conversation (default): new messages follow the bottom. false: a window on older history. */
  follow?: boolean;
  /** A window with newer messages after its last: reaching the bottom loads them. */
  hasNewer?: boolean;
  loadingNewer?: boolean;
  onLoadNewer?: () => void;
}

/**
 * The message to hold in place while pages come and go: the first one in view, but not the first or last of the
 * list (a page added next to those can change how they are drawn: a message joins its neighbour's group).
 */
function anchorIn(el: HTMLElement): { id: string; top: number } | null {
  const top = el.getBoundingClientRect().top;
  const list = el.querySelectorAll<HTMLElement>('article[id^="m-"]');
  // Messages are in order down the page: the first whose bottom is below the top, by halving.
  let lo = 1;
  let hi = list.length - 2;
  if (hi < lo) return null;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.getBoundingClientRect().bottom > top) hi = mid;
    else lo = mid + 1;
  }
  const r = list[lo]!.getBoundingClientRect();
  return { id: list[lo]!.id, top: r.top - top };
}

export function MessageList(p: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const [atBottom, setAtBottom] = useState(true);
  const prev = useRef<{ firstId?: string; lastId?: string; lastSeq?: number; follow?: boolean; height: number; pendingCount: number }>({ height: 0, pendingCount: 0 });
  const [newBelow, setNewBelow] = useState(0);
  const roving = useRovingMessages(ref);
  const t = useTranslations('messages');
  const f = useFormat();

  const follow = p.follow !== false;
  const firstUnread =
    p.unreadAfterSeq == null ? -1 : p.messages.findIndex((m) => m.seq > p.unreadAfterSeq! && m.kind === 'user' && m.sender?.id !== p.meId);
  const firstUnreadId = p.messages[firstUnread]?.id;
  const [drawAll, setDrawAll] = useState(false);
  const cut = p.messages.length - FIRST_DRAW;
  // Everything at once where the view does not open at the end: a window, a permalink, a first unread further back.
  const drawn = drawAll || cut <= 0 || !follow || p.highlightId || (firstUnread >= 0 && firstUnread < cut) ? p.messages : p.messages.slice(cut);
  const sliced = drawn !== p.messages;
  // From the first render with messages (at once for a conversation held, after its first page for one that is not).
  const hasMessages = p.messages.length > 0;
  useEffect(() => {
    if (drawAll || !hasMessages) return;
    const frame = requestAnimationFrame(() => startTransition(() => setDrawAll(true)));
    return () => cancelAnimationFrame(frame);
  }, [drawAll, hasMessages]);
  const first = drawn[0];
  const last = drawn[drawn.length - 1];
  const followRef = useRef(follow);
  followRef.current = follow;

  // Before React changes which messages are shown, where the first one in view sits: restored after, so pages loaded
  // (or dropped) above or below never move what is being read.
  const anchor = useRef<{ id: string; top: number } | null>(null);
  if (ref.current && (first?.id !== prev.current.firstId || last?.id !== prev.current.lastId)) anchor.current = anchorIn(ref.current);
  // Set when the effect below placed the view, so the one after it does not place it again.
  const placed = useRef(false);

  // Keep the view where it should be: at the bottom for new messages (when already there or when it is ours),
  // and in place when older messages are added on top or a window's pages come and go.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const before = prev.current;
    const a = anchor.current;
    anchor.current = null;
    const keep = () => {
      const node = a && document.getElementById(a.id);
      if (node) el.scrollTop += node.getBoundingClientRect().top - el.getBoundingClientRect().top - a.top;
    };
    const changed = first?.id !== before.firstId || last?.id !== before.lastId;
    if (before.lastId === undefined) {
      // A window opens where the jump to its message puts it, not at its end (which would load the next page).
      if (follow) el.scrollTop = el.scrollHeight;
    } else if (follow && before.follow && (last?.seq ?? 0) > (before.lastSeq ?? 0)) {
      // A new message at the live end.
      const mine = last?.sender?.id === p.meId || p.pending.length > before.pendingCount;
      if (atBottom || mine) el.scrollTop = el.scrollHeight;
      else {
        keep();
        setNewBelow((n) => n + 1);
      }
    } else if (follow && p.pending.length > before.pendingCount) {
      el.scrollTop = el.scrollHeight;
    } else if (changed) {
      keep();
    }
    placed.current = changed;
    prev.current = { firstId: first?.id, lastId: last?.id, lastSeq: last?.seq, follow, height: el.scrollHeight, pendingCount: p.pending.length };
  }, [first?.id, last?.id, last?.seq, p.pending.length, p.meId, atBottom, last?.sender?.id, follow]);

  // At the bottom, stay there when what is shown grows without a new message: a "Seen" line, a reaction or an
  // edit on the last messages (otherwise the view opens a line short of the end).
  const lastHeight = useRef(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    // "At the bottom" from the live position against the height before this render: React's atBottom lags behind a
    // jump (to the first unread, to a permalink), and snapping back then would undo it.
    const h = el.scrollHeight;
    const wasAtBottom = lastHeight.current - el.scrollTop - el.clientHeight < 80;
    if (!placed.current && followRef.current && wasAtBottom && lastHeight.current !== 0 && h !== lastHeight.current) el.scrollTop = h;
    placed.current = false;
    lastHeight.current = h;
  });

  useEffect(() => {
    const el = ref.current;
    if (el && p.scrollToBottomSignal > 0) el.scrollTop = el.scrollHeight;
  }, [p.scrollToBottomSignal]);

  // An image that loads (or the list's box shrinking) while at the bottom keeps the view at the bottom. "At the
  // bottom" is judged against the height before the change, from the live scroll position (not React state, which
  // lags behind a programmatic jump).
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let height = el.scrollHeight;
    const stick = () => {
      if (followRef.current && height - el.scrollTop - el.clientHeight < 80) el.scrollTop = el.scrollHeight;
      height = el.scrollHeight;
    };
    const onScroll = () => {
      height = el.scrollHeight;
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    el.addEventListener('load', stick, true);
    const ro = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(stick);
    ro?.observe(el);
    return () => {
      ro?.disconnect();
      el.removeEventListener('scroll', onScroll);
      el.removeEventListener('load', stick, true);
    };
  }, []);

  const onScroll = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    const bottom = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
    if (bottom !== atBottom) {
      setAtBottom(bottom);
      p.onAtBottomChange(bottom);
    }
    if (bottom) setNewBelow(0);
    if (el.scrollTop < 120 && p.hasMore && !p.loadingOlder) p.onLoadOlder();
    if (p.hasNewer && !p.loadingNewer && el.scrollHeight - el.scrollTop - el.clientHeight < 120) p.onLoadNewer?.();
  }, [atBottom, p]);

  // A page came in while the view was already at an edge (a scroll made while one was loading is not seen again):
  // the next one, without waiting for another scroll.
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (p.hasNewer && !p.loadingNewer && el.scrollHeight - el.scrollTop - el.clientHeight < 120) p.onLoadNewer?.();
    else if (p.hasMore && !p.loadingOlder && el.scrollTop < 120 && el.scrollHeight > el.clientHeight + 10) p.onLoadOlder();
    // Only when a load ends; p's own identity changes with every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [p.loadingNewer, p.loadingOlder]);

  // The loading rows in view (or within 120 px of it): the next page. An observer sees the rows come into view
  // however the view got there (a scroll event can be missed, or come while a page was still loading), and a new
  // one after each page reports at once whether the row is still in view.
  const pRef = useRef(p);
  pRef.current = p;
  const olderRow = useRef<HTMLDivElement>(null);
  const newerRow = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const root = ref.current;
    if (!root || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver(
      (entries) => {
        const q = pRef.current;
        for (const e of entries) {
          if (!e.isIntersecting) continue;
          if (e.target === olderRow.current && q.hasMore && !q.loadingOlder && q.messages.length > 0 && root.scrollHeight > root.clientHeight + 10) q.onLoadOlder();
          if (e.target === newerRow.current && q.hasNewer && !q.loadingNewer) q.onLoadNewer?.();
        }
      },
      { root, rootMargin: '120px 0px' },
    );
    if (olderRow.current) io.observe(olderRow.current);
    if (newerRow.current) io.observe(newerRow.current);
    return () => io.disconnect();
  }, [first?.id, last?.id, p.hasMore, p.hasNewer]);

  // If the first page does not fill the screen, load more right away (once all of it is drawn).
  useEffect(() => {
    const el = ref.current;
    if (el && !sliced && p.hasMore && !p.loadingOlder && el.scrollHeight <= el.clientHeight + 10) p.onLoadOlder();
  }, [p.hasMore, p.loadingOlder, p.messages.length, p, sliced]);

  // Read receipts: in a DM, "Seen" under my newest message the other person has read; in a group, "Seen by N"
  // under my newest message.
  const seenFor = new Map<string, { label: string; names: string }>();
  const others = p.members.filter((x) => x.id !== p.meId);
  const mineMsgs = p.messages.filter((m) => m.sender?.id === p.meId && m.kind === 'user' && !m.deletedAt);
  if (p.noReceipts) {
    // nothing
  } else if (p.kind === 'direct') {
    const other = others[0];
    const seenMsg = other ? [...mineMsgs].reverse().find((m) => m.seq <= other.lastReadSeq) : undefined;
    if (seenMsg) seenFor.set(seenMsg.id, { label: t('seen'), names: other!.displayName });
  } else {
    const newestMine = mineMsgs[mineMsgs.length - 1];
    if (newestMine) {
      const readers = others.filter((x) => x.lastReadSeq >= newestMine.seq);
      if (readers.length) seenFor.set(newestMine.id, { label: t('seenBy', { count: readers.length }), names: readers.map((r) => r.displayName).join(', ') });
    }
  }

  let prevMsg: MessageDto | undefined;
  return (
    <div className="messages-wrap">
      <div ref={ref} className="messages" onScroll={onScroll} role="log" aria-live="off" aria-label={p.label ?? t('history')} tabIndex={0} onFocus={roving.onFocus} onKeyDown={roving.onKeyDown}>
        {p.hasMore || sliced ? (
          <div ref={olderRow} className="load-older" role="status">
            {p.loadingOlder ? t('loadingOlder') : <button type="button" className="btn btn-ghost btn-sm" onClick={p.onLoadOlder}>{t('loadOlder')}</button>}
          </div>
        ) : (
          <div className="history-start">
            {p.messages.length > 0 || p.pending.length > 0 ? (p.startText ?? t('beginning')) : t('empty')}
          </div>
        )}
        {drawn.map((m) => {
          const d = new Date(m.createdAt);
          const newDay = !prevMsg || !sameDay(new Date(prevMsg.createdAt), d);
          const grouped =
            !newDay &&
            !!prevMsg &&
            prevMsg.kind === 'user' &&
            m.kind === 'user' &&
            !m.replyTo &&
            prevMsg.sender?.id === m.sender?.id &&
            // One bot posting under several names or icons (webhooks): each shows whose it is.
            prevMsg.integration?.username === m.integration?.username &&
            prevMsg.integration?.icon === m.integration?.icon &&
            d.getTime() - new Date(prevMsg.createdAt).getTime() < GROUP_GAP_MS;
          prevMsg = m;
          const mine = m.sender?.id === p.meId;
          return (
            <Fragment key={m.id}>
              {newDay && (
                <div className="day-sep" role="separator">
                  <span>{f.dayLabel(d)}</span>
                </div>
              )}
              {m.id === firstUnreadId && (
                <div className="unread-divider" role="separator" aria-label={t('newMessages')} data-testid="unread-divider" id="first-unread">
                  {t('new')}
                </div>
              )}
              {m.kind === 'system' ? (
                <div className="system-line" data-testid="system-message">
                  {m.body} · <time dateTime={m.createdAt} title={f.exactTime(m.createdAt)}>{f.clockTime(d)}</time>
                </div>
              ) : (
                <MessageItem
                  m={m}
                  meId={p.meId}
                  meUsername={p.meUsername}
                  grouped={grouped}
                  showAuthor={!grouped && !mine && p.kind !== 'direct'}
                  canModerate={p.canModerate}
                  canPin={p.canPin}
                  editing={p.editingId === m.id}
                  highlighted={p.highlightId === m.id}
                  seen={seenFor.get(m.id) ?? null}
                  members={p.members}
                  actions={p.actions}
                />
              )}
            </Fragment>
          );
        })}
        {p.hasNewer && (
          <div ref={newerRow} className="load-older" role="status">
            {p.loadingNewer ? t('loadingNewer') : <button type="button" className="btn btn-ghost btn-sm" onClick={p.onLoadNewer}>{t('loadNewer')}</button>}
          </div>
        )}
        {p.pending.map((o) => (
          <article key={o.clientId} className="msg mine" data-testid="pending-message" data-status={o.status}>
            <div className="msg-col">
              <div className={`bubble pending${o.status === 'failed' ? ' failed' : ''}`}>
                {o.attachments && <Attachments items={o.attachments} />}
                {o.body && (
                  <div className="msg-body">
                    <RichText text={o.body} meUsername={p.meUsername} />
                  </div>
                )}
                <span className="msg-meta">
                  {o.status === 'pending' ? (
                    <span aria-label={t('sending')} title={t('waiting')} role="img">
                      <Clock size={12} />
                    </span>
                  ) : (
                    <span className="failed-text">{t('notSent')}</span>
                  )}
                </span>
              </div>
              {o.status === 'failed' && (
                <div className="failed-actions" role="alert">
                  {o.error ?? t('couldNotSend')}{' '}
                  <button type="button" className="linklike" onClick={() => p.onRetry(o.clientId)}>
                    {t('retry')}
                  </button>{' '}
                  <button type="button" className="linklike" onClick={() => p.onDiscard(o.clientId)}>
                    {t('discard')}
                  </button>
                </div>
              )}
            </div>
          </article>
        ))}
      </div>
      {firstUnreadId && <JumpToUnread container={ref} />}
      {newBelow > 0 && !atBottom && (
        <button
          type="button"
          className="new-below btn"
          onClick={() => {
            const el = ref.current;
            if (el) el.scrollTop = el.scrollHeight;
            setNewBelow(0);
          }}
        >
          {t('newMessages')}{newBelow > 1 ? ` (${newBelow})` : ''} <ArrowDown size={16} aria-hidden="true" />
        </button>
      )}
    </div>
  );
}
