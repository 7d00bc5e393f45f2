import type { ConversationDto } from '@/lib/validation/dto';
import type { Words } from '@/lib/i18n/english';

/** Mirrors the server (lib/services/threads.ts): over this many members only owners and admins may notify everyone. */
export const BROADCAST_LIMIT = 50;

/** What the composer warns about a draft that uses `@channel`, `@everyone` or `@here`; null when it does not. */
export function broadcastNotice(draft: string, c: ConversationDto | undefined, t: Words): string | null {
  if (!c || c.kind === 'direct') return null;
  const all = /(^|[^A-Za-z0-9_.@])@(channel|everyone)\b/i.test(draft);
  const here = /(^|[^A-Za-z0-9_.@])@here\b/i.test(draft);
  if (!all && !here) return null;
  const privileged = c.myRole === 'owner' || c.myRole === 'admin';
  if (c.kind === 'channel' && c.memberCount > BROADCAST_LIMIT && !privileged) {
    return t('refused', { limit: BROADCAST_LIMIT });
  }
  const others = c.memberCount - 1;
  if (all) return t('all', { count: others });
  const online = c.members.filter((m) => m.online).length - 1;
  const n = Math.max(0, online);
  return t('here', { count: n });
}
