import type { ConversationDto, MemberDto } from '../validation/dto';
import { api } from './api';

/**
 * For a conversation this client holds only some members of (a channel lists 50): finds members by name on the server
 * (`GET /conversations/{id}/members?q=`), for the composer's `@` suggestions. Undefined when all of them are held.
 */
export function memberFinder(c: ConversationDto | null | undefined): ((query: string) => Promise<MemberDto[]>) | undefined {
  if (!c || c.members.length >= c.memberCount) return undefined;
  const id = c.id;
  return (query) => api<{ members: MemberDto[] }>(`/conversations/${id}/members?q=${encodeURIComponent(query)}&limit=8`).then((r) => r.members);
}
