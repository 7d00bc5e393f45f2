import type { ErrorBody } from '../errors';
import type { ConversationDto, MessageDto, ReactionDto } from '../validation/dto';

/** The typed event contract shared by the Socket.IO server and its clients. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };
type Req<P, T> = (payload: P, ack: (res: Ack<T>) => void) => void;

export interface PresenceDto {
  userId: string;
  online: boolean;
  lastSeenAt: string | null;
}

export interface ClientToServerEvents {
  'message:send': Req<
    { conversationId: string; body: string; clientId: string; replyToId?: string; attachmentIds?: string[] },
    { message: MessageDto }
  >;
  'message:edit': Req<{ messageId: string; body: string }, { message: MessageDto }>;
  'message:delete': Req<{ messageId: string }, Record<string, never>>;
  'reaction:add': Req<{ messageId: string; emoji: string }, Record<string, never>>;
  'reaction:remove': Req<{ messageId: string; emoji: string }, Record<string, never>>;
  'typing:start': Req<{ conversationId: string }, Record<string, never>>;
  'typing:stop': Req<{ conversationId: string }, Record<string, never>>;
  'conversation:read': Req<{ conversationId: string; messageId: string }, Record<string, never>>;
  'presence:subscribe': Req<{ userIds: string[] }, { presence: PresenceDto[] }>;
  /** Whether this tab is visible: a user with a visible tab gets no web push. */
  'client:visibility': Req<{ visible: boolean }, Record<string, never>>;
}

export interface ServerToClientEvents {
  'message:created': (p: { message: MessageDto }) => void;
  'message:updated': (p: { message: MessageDto }) => void;
  'message:deleted': (p: { conversationId: string; messageId: string }) => void;
  'reaction:updated': (p: { conversationId: string; messageId: string; reactions: ReactionDto[] }) => void;
  typing: (p: { conversationId: string; userId: string; displayName: string; isTyping: boolean }) => void;
  'conversation:read': (p: { conversationId: string; userId: string; messageId: string; seq: number }) => void;
  'conversation:created': (p: { conversation: ConversationDto }) => void;
  'conversation:updated': (p: { conversation: ConversationDto }) => void;
  'conversation:removed': (p: { conversationId: string }) => void;
  presence: (p: PresenceDto) => void;
}

export interface InterServerEvents {
  ping: () => void;
}

export interface SocketData {
  userId: string;
  username: string;
  displayName: string;
  isAdmin: boolean;
  visible?: boolean;
  /** The rooms found during the handshake; joined (and dropped) when the connection is established. */
  initialRooms?: string[];
}
