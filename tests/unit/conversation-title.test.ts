/**
 * A conversation's name: the other person's in a direct one, the title otherwise; without one, the reader's words
 * for it (the catalogues' `sidebar.untitled*`, in every language).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { conversationTitle } from '../../lib/client/store';
import type { ConversationDto } from '../../lib/validation/dto';

function conversation(kind: ConversationDto['kind'], title: string | null, memberIds: string[]): ConversationDto {
  return {
    id: 'c1', kind, title, memberCount: memberIds.length, lastMessage: null, updatedAt: new Date(0).toISOString(),
    members: memberIds.map((id) => ({ id, username: id, displayName: `${id} name`, avatarUrl: null, role: 'member', online: false, lastSeenAt: null, lastReadMessageId: null, lastReadSeq: 0 })),
  } as unknown as ConversationDto;
}

const catalogue = (lang: string) => JSON.parse(readFileSync(new URL(`../../messages/${lang}.json`, import.meta.url), 'utf8')) as { sidebar: Record<string, string> };

describe('conversationTitle', () => {
  const de = catalogue('de').sidebar;
  const untitled = { direct: de.untitledDirect!, group: de.untitledGroup!, channel: de.untitledChannel! };

  it('names a direct conversation after the other person, a group or channel after its title', () => {
    expect(conversationTitle(conversation('direct', null, ['me', 'ana']), 'me', untitled)).toBe('ana name');
    expect(conversationTitle(conversation('group', 'Trip', ['me', 'ana']), 'me', untitled)).toBe('Trip');
    expect(conversationTitle(conversation('channel', 'general', ['me']), 'me', untitled)).toBe('# general');
  });

  it('without a name of its own, uses the words of the reader’s language', () => {
    expect(conversationTitle(conversation('direct', null, ['me']), 'me', untitled)).toBe('Direktnachricht');
    expect(conversationTitle(conversation('group', null, ['me', 'ana']), 'me', untitled)).toBe('Gruppe');
    for (const lang of ['en', 'de']) {
      const s = catalogue(lang).sidebar;
      for (const key of ['untitledDirect', 'untitledGroup', 'untitledChannel']) expect(s[key], `${lang} sidebar.${key}`).toBeTruthy();
    }
  });
});
