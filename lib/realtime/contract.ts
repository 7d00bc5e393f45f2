import type { ErrorBody } from '../errors';
import type { EphemeralDto } from '../validation/commands';
import type { CustomEmojiDto, DraftDto, ScheduledDto } from '../validation/compose';
import type { ConversationDto, MessageDto, ReactionDto, ThreadSummaryDto } from '../validation/dto';
import type { NotifyLevel, StatusDto } from '../validation/attention';

/** The typed event contract shared by the Socket.IO server and its clients. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };
type Req<P, T> = (payload: P, ack: (res: Ack<T>) => void) => void;

export interface PresenceDto {
  userId: string;
  online: boolean;
  /** Online, but every tab of theirs has been hidden with no input for 10 minutes. */
  away?: boolean;
  lastSeenAt: string | null;
  /** Their status (emoji, text, when it clears), or null. */
  status?: StatusDto | null;
  /** Do-not-disturb is on now, and when this quiet period ends (null: no end known). */
  dnd?: boolean;
  dndEndsAt?: string | null;
}

/** A person's public profile, as `user:updated` carries it. */
export interface UserRefDto {
  id: string;
  username: string;
  displayName: string;
  avatarUrl: string | null;
  bio: string;
}

export interface ClientToServerEvents {
  'message:send': Req<
    { conversationId: string; body: string; clientId: string; replyToId?: string; attachmentIds?: string[]; threadId?: string; alsoToChannel?: boolean; urgent?: boolean },
    { message: MessageDto }
  >;
  'message:edit': Req<{ messageId: string; body: string }, { message: MessageDto }>;
  'message:delete': Req<{ messageId: string }, Record<string, never>>;
  'reaction:add': Req<{ messageId: string; emoji: string }, Record<string, never>>;
  'reaction:remove': Req<{ messageId: string; emoji: string }, Record<string, never>>;
  /** threadId: typing inside that thread (shown in the thread panel only). */
  'typing:start': Req<{ conversationId: string; threadId?: string }, Record<string, never>>;
  'typing:stop': Req<{ conversationId: string; threadId?: string }, Record<string, never>>;
  'conversation:read': Req<{ conversationId: string; messageId: string }, Record<string, never>>;
  'presence:subscribe': Req<{ userIds: string[] }, { presence: PresenceDto[] }>;
  /** Whether this tab is visible: a user with a visible tab gets no web push. */
  'client:visibility': Req<{ visible: boolean }, Record<string, never>>;
  /** Saves (body '') or removes the caller's draft; `origin` comes back in the `draft:updated` it causes. */
  'draft:save': Req<{ conversationId: string; body: string; threadId?: string; origin?: string }, { draft: DraftDto | null }>;
  /** This tab has been hidden with no input for 10 minutes (true), or saw input again (false). At most one each way. */
  'client:away': Req<{ away: boolean }, Record<string, never>>;
  /** This tab reads a public channel it has not joined: its live events come too, until `conversation:unwatch` or
   * another watch (one at a time per socket). A private channel one is not in answers `not_found`. */
  'conversation:watch': Req<{ conversationId: string }, Record<string, never>>;
  'conversation:unwatch': Req<{ conversationId: string }, Record<string, never>>;
}

export interface ServerToClientEvents {
  'message:created': (p: { message: MessageDto }) => void;
  'message:updated': (p: { message: MessageDto }) => void;
  'message:deleted': (p: { conversationId: string; messageId: string }) => void;
  'reaction:updated': (p: { conversationId: string; messageId: string; reactions: ReactionDto[] }) => void;
  typing: (p: { conversationId: string; userId: string; displayName: string; isTyping: boolean; threadId?: string }) => void;
  'conversation:read': (p: { conversationId: string; userId: string; messageId: string; seq: number }) => void;
  'conversation:created': (p: { conversation: ConversationDto }) => void;
  'conversation:updated': (p: { conversation: ConversationDto }) => void;
  'conversation:removed': (p: { conversationId: string }) => void;
  presence: (p: PresenceDto) => void;
  /** A thread changed (reply added or deleted): its shared summary, to the conversation's room. `following` and
   * `unreadCount` in it are always false/0: each follower gets their own in `thread:unread`. */
  'thread:updated': (p: { conversationId: string; rootId: string; thread: ThreadSummaryDto }) => void;
  /** To one user: their follow state and unread count of a thread (after a reply, a read, a follow change). */
  'thread:unread': (p: { conversationId: string; rootId: string; following: boolean; unreadCount: number }) => void;
  /** Someone's display name, photo or bio changed; sent to them and to everyone who shares a conversation with them. */
  'user:updated': (p: { user: UserRefDto }) => void;
  /** A slash command's answer for one person only (never stored): to that user's sockets. */
  'command:ephemeral': (p: EphemeralDto) => void;
  /** To the person's own sockets: a draft saved on another device (body '' = removed, e.g. after sending). */
  'draft:updated': (p: { draft: DraftDto; origin?: string }) => void;
  /** To the person's own sockets: one of their scheduled messages was created, changed, sent, failed or cancelled. */
  'scheduled:updated': (p: { scheduled: ScheduledDto }) => void;
  /** To everyone: a custom emoji was added (emoji set) or deleted (deleted: its name). */
  'emoji:updated': (p: { emoji?: CustomEmojiDto; deleted?: string }) => void;
  /** To one user's sockets (their other devices): a notification level or the keywords changed. */
  'preferences:updated': (p: { conversationId?: string; notify?: NotifyLevel; muted?: boolean; keywords?: string[] }) => void;
  /** To one user: a message matched one of their keywords (a mention only they see). */
  'mention:keyword': (p: { conversationId: string; messageId: string }) => void;
}

export interface InterServerEvents {
  ping: () => void;
  /** Sessions ended on one node: every node forgets its cached copy at once. */
  'sessions:revoked': (ids: string[]) => void;
}

export interface SocketData {
  userId: string;
  username: string;
  displayName: string;
  isAdmin: boolean;
  visible?: boolean;
  /** The tab said it is away (hidden, no input for 10 minutes). */
  away?: boolean;
  /** The session or personal access token the socket was opened with, a token's scopes, and when it expires. */
  sessionId?: string;
  tokenId?: string;
  scopes?: readonly ('read' | 'write')[];
  expiresAt?: number;
  /** The rooms found during the handshake; joined (and dropped) when the connection is established. */
  initialRooms?: string[];
}
