import type { UserRefDto } from '../realtime/contract';
import type { ChatState } from './store';

type Ref = { id: string; displayName: string; avatarUrl: string | null };

function patchRef<T extends Ref | null | undefined>(ref: T, u: UserRefDto): T {
  return ref && ref.id === u.id ? { ...ref, displayName: u.displayName, avatarUrl: u.avatarUrl } : ref;
}

/**
 * A `user:updated` event applied to the chat state: the person's name and photo in conversation members, message
 * senders, reply quotes, and your own profile. Unchanged parts keep their identity (no needless re-renders).
 */
export function applyUserUpdate(s: ChatState, u: UserRefDto): Partial<ChatState> {
  const conversations =
    s.conversations?.map((c) => {
      const hit = c.members.some((m) => m.id === u.id) || c.lastMessage?.sender?.id === u.id;
      if (!hit) return c;
      return {
        ...c,
        members: c.members.map((m) => patchRef(m, u)),
        lastMessage: c.lastMessage ? { ...c.lastMessage, sender: patchRef(c.lastMessage.sender, u) } : c.lastMessage,
      };
    }) ?? null;
  const messages: ChatState['messages'] = {};
  for (const [id, page] of Object.entries(s.messages)) {
    const touches = page.items.some((m) => m.sender?.id === u.id || m.replyTo?.sender?.id === u.id);
    messages[id] = touches
      ? {
          ...page,
          items: page.items.map((m) =>
            m.sender?.id === u.id || m.replyTo?.sender?.id === u.id
              ? { ...m, sender: patchRef(m.sender, u), replyTo: m.replyTo ? { ...m.replyTo, sender: patchRef(m.replyTo.sender, u) } : m.replyTo }
              : m,
          ),
        }
      : page;
  }
  const me = s.me.id === u.id ? { ...s.me, displayName: u.displayName, avatarUrl: u.avatarUrl, bio: u.bio } : s.me;
  return { conversations, messages, me };
}
