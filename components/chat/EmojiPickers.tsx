'use client';

/** The emoji pickers (a reaction's, the composer's): loaded the first time one opens (components/chat/lazy.tsx). */
import { useTranslations } from 'next-intl';
import { useEffect, useRef, useState } from 'react';
import { useCustomEmoji } from '@/lib/client/compose';
import { CustomEmojiSection } from './compose/CustomEmoji';
import { EMOJI } from './emoji';

export function ReactionPicker({ onPick, onClose }: { onPick: (e: string) => void; onClose: () => void }) {
  const [q, setQ] = useState('');
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const shown = EMOJI.filter(([, names]) => !q || names.includes(q.toLowerCase())).slice(0, 64);
  const custom = useCustomEmoji();
  const t = useTranslations('message');
  return (
    <div className="emoji-picker" role="dialog" aria-label={t('pickReaction')} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <label className="sr-only" htmlFor="emoji-search">
        {t('searchEmoji')}
      </label>
      <input id="emoji-search" ref={ref} type="search" placeholder={t('searchEmoji')} value={q} onChange={(e) => setQ(e.target.value)} />
      <CustomEmojiSection list={custom} q={q} onPick={onPick} labelPrefix={t('reactPrefix')} />
      <div className="emoji-grid">
        {shown.map(([e, names]) => (
          <button key={e} type="button" className="emoji-btn" title={names} aria-label={t('reactWith', { emoji: names.split(' ')[0] ?? '' })} onClick={() => onPick(e)}>
            {e}
          </button>
        ))}
        {shown.length === 0 && <span className="row-sub">{t('noEmoji')}</span>}
      </div>
    </div>
  );
}

/** The composer's picker: a searchable grid; picking inserts at the caret and keeps the picker open. */
export function ComposerEmojiGrid({ onPick }: { onPick: (emoji: string) => void }) {
  const [q, setQ] = useState('');
  const search = useRef<HTMLInputElement>(null);
  useEffect(() => search.current?.focus(), []);
  const shown = EMOJI.filter(([, names]) => !q || names.includes(q.toLowerCase())).slice(0, 80);
  const custom = useCustomEmoji();
  const t = useTranslations('composer');
  return (
    <>
      <label className="sr-only" htmlFor="composer-emoji-search">
        {t('searchEmoji')}
      </label>
      <input id="composer-emoji-search" ref={search} type="search" placeholder={t('searchEmoji')} value={q} onChange={(e) => setQ(e.target.value)} />
      <CustomEmojiSection list={custom} q={q} onPick={(name) => onPick(`${name} `)} />
      <div className="emoji-grid">
        {shown.map(([e, names]) => (
          <button key={e} type="button" className="emoji-btn" title={names} aria-label={names.split(' ')[0]} onClick={() => onPick(e)}>
            {e}
          </button>
        ))}
        {shown.length === 0 && <span className="row-sub">{t('noEmoji')}</span>}
      </div>
    </>
  );
}
