'use client';

import { Smile, Type } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useRef, useState } from 'react';
import { EMOJI } from './emoji';
import { useCustomEmoji } from '@/lib/client/compose';
import { ComposerPopover } from './compose/ComposerPopover';
import { CustomEmojiSection } from './compose/CustomEmoji';

/** The composer's emoji picker: a searchable grid; picking inserts at the caret and keeps the picker open. */
export function ComposerEmoji({ onPick }: { onPick: (emoji: string) => void }) {
  const [q, setQ] = useState('');
  const search = useRef<HTMLInputElement>(null);
  const shown = EMOJI.filter(([, names]) => !q || names.includes(q.toLowerCase())).slice(0, 80);
  const custom = useCustomEmoji();
  const t = useTranslations('composer');
  return (
    <ComposerPopover label={t('insertEmoji')} icon={<Smile size={20} />} wrapClass="composer-emoji" popClass="emoji-picker composer-emoji-pop" onOpen={() => search.current?.focus()}>
      {() => (
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
      )}
    </ComposerPopover>
  );
}

/** What the composer understands, one click away. */
export function FormattingHint() {
  const [open, setOpen] = useState(false);
  const t = useTranslations('composer');
  return (
    <div className="format-hint-wrap">
      <button type="button" className="icon-btn sm format-btn" aria-label={t('formattingHelp')} title={t('formattingHelp')} aria-expanded={open} aria-controls="format-hint" onClick={() => setOpen((o) => !o)}>
        <Type size={16} />
      </button>
      {open && (
        <div id="format-hint" className="format-hint" role="note">
          <code>**bold**</code> <code>_italic_</code> <code>`code`</code> <code>```block```</code> <code>- list</code> <code>1. list</code> <code>&gt; quote</code> · {t('newLineHint')}
        </div>
      )}
    </div>
  );
}
