'use client';

import type { AttachmentDto, ConversationDto, MessageDto } from '../validation/dto';
import type { Me } from '../validation/users';

/** Client-side state of the chat: a tiny external store (useSyncExternalStore), no framework. */
export interface OutboxItem {
  clientId: string;
  conversationId: string;
  body: string;
  replyToId?: string;
  attachmentIds?: string[];
  /** A thread reply: its root's id (shown pending in the thread panel, not the timeline). */
  threadId?: string;
  alsoToChannel?: boolean;
  /** A direct message that breaks through do-not-disturb (once an hour per sender). */
  urgent?: boolean;
  /** Shown while pending: the attachments already uploaded for this message. */
  attachments?: AttachmentDto[];
  createdAt: string;
  status: 'pending' | 'failed';
  error?: string;
  attempts: number;
}

export interface ConversationMessages {
  items: MessageDto[];
  hasMore: boolean;
  loaded: boolean;
  loadingOlder: boolean;
  /**
   * The stamp taken before the newest page was last asked for (the first page, or the refresh after a connect). A
   * change to a held message made before the socket joined and after this read reached nobody: the catch-up after
   * a connect reads the newest page again when this is older than the connect.
   */
  readAt?: number;
  /**
   * The items are this device's copy of the first page, painted while the network's answer is on its way (offline as
   * online); that answer (or, if it failed, the catch-up after the next connect) replaces it.
   */
  cached?: boolean;
}

export interface ChatState {
  me: Me;
  conversations: ConversationDto[] | null;
  messages: Record<string, ConversationMessages>;
  outbox: OutboxItem[];
  typing: Record<string, { userId: string; displayName: string; until: number }[]>;
  /** true once, after each (re)connect, every loaded conversation caught up. */
  synced: boolean;
  activeId: string | null;
  /** Threads opened in this tab: root and replies (oldest first). */
  threads: Record<string, ThreadMessages>;
  /** Unread replies per followed thread (from GET /threads and `thread:unread`). */
  threadUnread: Record<string, number>;
}

export interface ThreadMessages {
  root: MessageDto | null;
  items: MessageDto[];
  hasMore: boolean;
  loaded: boolean;
  loadingOlder: boolean;
}

type Listener = () => void;

export class Store {
  private state: ChatState;
  private listeners = new Set<Listener>();

  constructor(me: Me) {
    this.state = { me, conversations: null, messages: {}, outbox: [], typing: {}, synced: false, activeId: null, threads: {}, threadUnread: {} };
  }

  get = (): ChatState => this.state;

  subscribe = (l: Listener): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  set(update: Partial<ChatState> | ((s: ChatState) => Partial<ChatState>)): void {
    const patch = typeof update === 'function' ? update(this.state) : update;
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }
}

export function sortConversations(list: ConversationDto[]): ConversationDto[] {
  return [...list].sort((a, b) => {
    const ta = a.lastMessage?.createdAt ?? a.updatedAt;
    const tb = b.lastMessage?.createdAt ?? b.updatedAt;
    return tb.localeCompare(ta) || a.id.localeCompare(b.id);
  });
}

/**
 * A fetched page is a snapshot from when it was asked for: a live change (an edit, a deletion, reactions) that comes
 * while it is on its way is newer than the page's copy of that message. Each live change stamps its message; a page
 * merged with the stamp taken before its request leaves the messages changed since then as they are.
 */
let clock = 0;
const liveAt = new Map<string, number>();

/** The stamp to take just before asking the server for a page of messages. */
export function fetchStamp(): number {
  return ++clock;
}

/**
 * Live changes to people (presence, status, do-not-disturb, name, photo), by stamp: a conversation list asked for
 * before one of them came answers with the person as they were, and must not undo it.
 */
type Member = ConversationDto['members'][number];
const livePeople = new Map<string, { at: number; patch: Partial<Member> }>();

/** This person just changed live (an event). */
export function markPersonLive(userId: string, patch: Partial<Member>): void {
  clock++;
  if (livePeople.size > 5000) livePeople.clear();
  livePeople.set(userId, { at: clock, patch: { ...livePeople.get(userId)?.patch, ...patch } });
}

/** A conversation list asked for at `fetchedAt`, with the people who changed live since then as they are now. */
export function withLivePeople(list: ConversationDto[], fetchedAt: number): ConversationDto[] {
  if (livePeople.size === 0) return list;
  const newer = (id: string) => {
    const live = livePeople.get(id);
    return live && live.at > fetchedAt ? live.patch : undefined;
  };
  return list.map((c) =>
    c.members.some((m) => newer(m.id))
      ? {
          ...c,
          members: c.members.map((m) => {
            const patch = newer(m.id);
            return patch ? { ...m, ...patch } : m;
          }),
        }
      : c,
  );
}

/**
 * The list lists a preview of each group's and channel's members (the reader and the earliest to join): one held
 * with more of them (read whole when it was opened) keeps them while its member count is the same, each as the new
 * list shows them where it does.
 */
export function keepWholeMembers(incoming: ConversationDto, held: ConversationDto | undefined): ConversationDto {
  if (!held || incoming.members.length >= incoming.memberCount) return incoming;
  if (held.memberCount !== incoming.memberCount || held.members.length <= incoming.members.length) return incoming;
  const fresh = new Map(incoming.members.map((m) => [m.id, m]));
  return { ...incoming, members: held.members.map((m) => fresh.get(m.id) ?? m) };
}

/** Deleted live, by stamp: a page asked for before may still bring the message whole, held or not. */
const deletedAt = new Map<string, { at: number; deletedAt: string }>();

/** These messages just changed live (an event or an acknowledgement). */
export function markLive(ids: Iterable<string>): void {
  clock++;
  // Only the gap between a page's request and its answer matters: an old stamp can go.
  if (liveAt.size > 5000) liveAt.clear();
  if (deletedAt.size > 5000) deletedAt.clear();
  for (const id of ids) liveAt.set(id, clock);
}

/** A message as it shows once deleted: nothing of it left but its place. */
export function tombstone(m: MessageDto, at: string): MessageDto {
  return { ...m, body: '', attachments: [], reactions: [], mentions: [], replyTo: null, pinnedAt: null, preview: null, deletedAt: at };
}

/** This message was just deleted live (whether or not it is held). */
export function markDeleted(id: string): string {
  markLive([id]);
  const at = new Date().toISOString();
  deletedAt.set(id, { at: clock, deletedAt: at });
  return at;
}

/**
 * Inserts messages by seq, replacing ones with the same id (an edit or a re-fetch); never duplicates. Without
 * `fetchedAt` the incoming messages are live (and stamped so); with it, they come from a page asked for at that
 * stamp, and a message changed live since keeps its live version.
 */
export function mergeMessages(current: MessageDto[], incoming: MessageDto[], fetchedAt?: number): MessageDto[] {
  if (incoming.length === 0) return current;
  const byId = new Map(current.map((m) => [m.id, m]));
  if (fetchedAt === undefined) markLive(incoming.map((m) => m.id));
  for (const m of incoming) {
    if (fetchedAt !== undefined) {
      if (byId.has(m.id) && (liveAt.get(m.id) ?? 0) > fetchedAt) continue;
      const gone = deletedAt.get(m.id);
      if (gone && gone.at > fetchedAt && !m.deletedAt) {
        byId.set(m.id, tombstone(m, gone.deletedAt));
        continue;
      }
    }
    byId.set(m.id, m);
  }
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

interface Page {
  messages: MessageDto[];
  hasMore: boolean;
}

/**
 * A first page (or one around a message) of a conversation or a thread, with what is already held: live items that
 * came before it are kept, but never older than the page (no gap in between).
 */
export function withFirstPage(held: MessageDto[] | undefined, page: Page, fetchedAt: number): ConversationMessages {
  const oldest = page.messages[0];
  return {
    items: mergeMessages((held ?? []).filter((m) => !page.hasMore || !oldest || m.seq >= oldest.seq), page.messages, fetchedAt),
    hasMore: page.hasMore,
    loaded: true,
    loadingOlder: false,
    readAt: fetchedAt,
  };
}

/**
 * The network's first page over what a conversation holds (`withFirstPage`). Over this device's copy (`cached`) the
 * page replaces it: of the copy's items only those seen live since stay.
 */
export function withNetworkFirstPage(entry: ConversationMessages | undefined, page: Page, fetchedAt: number): ConversationMessages {
  return withFirstPage(entry?.cached ? entry.items.filter((m) => liveAt.has(m.id)) : entry?.items, page, fetchedAt);
}

/** The items a gap or an older page is reckoned from: none over this device's copy (the first page's to replace). */
export function settledItems(entry: ConversationMessages | undefined): MessageDto[] | undefined {
  return entry?.cached ? undefined : entry?.items;
}

/**
 * The page before the oldest held item of a conversation or a thread (`entry`), merged in through `update`, which
 * patches that entry. Nothing while one is loading, or before the first page, or at the beginning. Rethrows.
 */
export async function loadOlderPage(
  entry: ConversationMessages | undefined,
  update: (patch: (e: ConversationMessages) => Partial<ConversationMessages>) => void,
  fetchBefore: (oldestId: string | undefined) => Promise<Page>,
): Promise<void> {
  if (!entry?.loaded || !entry.hasMore || entry.loadingOlder) return;
  update(() => ({ loadingOlder: true }));
  try {
    const fetchedAt = fetchStamp();
    const page = await fetchBefore(entry.items[0]?.id);
    update((e) => ({ items: mergeMessages(e.items, page.messages, fetchedAt), hasMore: page.hasMore, loadingOlder: false }));
  } catch (e) {
    update(() => ({ loadingOlder: false }));
    throw e;
  }
}

/** What a conversation without a name of its own is called, in the reader's language (`useConversationTitle`). */
export interface UntitledNames {
  direct: string;
  group: string;
  channel: string;
}

/**
 * A conversation's name: a direct one's is the other person's; a group's or channel's its title. Without one (the
 * other person gone, no title), the words of `untitled`.
 */
export function conversationTitle(c: ConversationDto, meId: string, untitled: UntitledNames): string {
  if (c.kind === 'direct') {
    const other = c.members.find((m) => m.id !== meId);
    return other?.displayName ?? untitled.direct;
  }
  if (c.kind === 'channel') return `# ${c.title ?? untitled.channel}`;
  return c.title ?? untitled.group;
}
