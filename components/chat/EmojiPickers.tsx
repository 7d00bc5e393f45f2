'use client';

/** The emoji pickers (a reaction's, the composer's): loaded the first time one opens (components/chat/lazy.tsx). */
import { useTranslations } from 'next-intl';
import { useEffect, useRef, useState } from 'react';
import { useCustomEmoji } from '@/lib/client/compose';
import { CustomEmojiSection } from './compose/CustomEmoji';
import { EMOJI } from './emoji';

/** A search box (focused on opening), the workspace's custom emoji that match, and the standard ones that match. */
function EmojiSearch(p: {
  id: string;
  limit: number;
  words: { search: string; none: string };
  /** A standard emoji's button label, from its first name. */
  label: (name: string) => string;
  customPrefix?: string;
  onPick: (emoji: string) => void;
  onPickCustom: (name: string) => void;
}) {
  const [q, setQ] = useState('');
  const search = useRef<HTMLInputElement>(null);
  useEffect(() => search.current?.focus(), []);
  const shown = EMOJI.filter(([, names]) => !q || names.includes(q.toLowerCase())).slice(0, p.limit);
  const custom = useCustomEmoji();
  return (
    <>
      <label className="sr-only" htmlFor={p.id}>
        {p.words.search}
      </label>
      <input id={p.id} ref={search} type="search" placeholder={p.words.search} value={q} onChange={(e) => setQ(e.target.value)} />
      <CustomEmojiSection list={custom} q={q} onPick={p.onPickCustom} labelPrefix={p.customPrefix} />
      <div className="emoji-grid">
        {shown.map(([e, names]) => (
          <button key={e} type="button" className="emoji-btn" title={names} aria-label={p.label(names.split(' ')[0] ?? '')} onClick={() => p.onPick(e)}>
            {e}
          </button>
        ))}
        {shown.length === 0 && <span className="row-sub">{p.words.none}</span>}
      </div>
    </>
  );
}

/** A reaction's picker, beside the message. */
export function ReactionPicker({ onPick, onClose }: { onPick: (e: string) => void; onClose: () => void }) {
  const t = useTranslations('message');
  return (
    <div className="emoji-picker" role="dialog" aria-label={t('pickReaction')} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <EmojiSearch
        id="emoji-search"
        limit={64}
        words={{ search: t('searchEmoji'), none: t('noEmoji') }}
        label={(emoji) => t('reactWith', { emoji })}
        customPrefix={t('reactPrefix')}
        onPick={onPick}
        onPickCustom={onPick}
      />
    </div>
  );
}

/** The composer's picker: picking inserts at the caret and keeps the picker open. */
export function ComposerEmojiGrid({ onPick }: { onPick: (emoji: string) => void }) {
  const t = useTranslations('composer');
  return (
    <EmojiSearch
      id="composer-emoji-search"
      limit={80}
      words={{ search: t('searchEmoji'), none: t('noEmoji') }}
      label={(name) => name}
      onPick={onPick}
      onPickCustom={(name) => onPick(`${name} `)}
    />
  );
}
