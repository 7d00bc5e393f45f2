'use client';

import { X } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import type { ConversationDto } from '@/lib/validation/dto';
import { useChat } from './ChatProvider';
import { useConversationTitle } from './useConversationTitle';

/** Whether a conversation's name (a direct one's: the other person's name or username) holds the filter's words. */
export function matchesFilter(c: ConversationDto, query: string, meId: string, titleOf: (c: ConversationDto) => string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  const other = c.kind === 'direct' ? c.members.find((m) => m.id !== meId) : undefined;
  const hay = `${titleOf(c)} ${other?.username ?? ''}`.toLowerCase();
  return q.split(/\s+/).every((w) => hay.includes(w.replace(/^#/, '')));
}

/**
 * The box at the top of the sidebar: narrows channels and conversations as you type (each list filters itself
 * from the deferred value, so typing stays quick with hundreds of conversations). Enter opens the first match
 * (channels first, as listed); Escape clears it.
 */
export function SidebarFilter({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const router = useRouter();
  const conversations = useChat((s) => s.conversations);
  const meId = useChat((s) => s.me.id);
  const t = useTranslations('sidebar');
  const titleOf = useConversationTitle();
  return (
    <div className="sidebar-filter" role="search" aria-label={t('conversations')}>
      <input
        type="search"
        className="sidebar-filter-input"
        aria-label={t('filter')}
        placeholder={t('filter')}
        value={value}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && value) {
            e.preventDefault();
            e.stopPropagation();
            onChange('');
          } else if (e.key === 'Enter' && value.trim()) {
            const list = conversations ?? [];
            const channels = list.filter((c) => c.kind === 'channel' && !c.archived).sort((a, b) => (a.title ?? '').localeCompare(b.title ?? ''));
            const first = [...channels, ...list.filter((c) => c.kind !== 'channel')].find((c) => matchesFilter(c, value, meId, titleOf));
            if (first) {
              e.preventDefault();
              onChange('');
              router.push(`/c/${first.id}`);
            }
          }
        }}
      />
      {value && (
        <button type="button" className="icon-btn sidebar-filter-clear" aria-label={t('clearFilter')} onClick={() => onChange('')}>
          <X size={16} />
        </button>
      )}
    </div>
  );
}
