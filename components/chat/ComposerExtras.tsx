'use client';

import { Smile, Type } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { ComposerPopover } from './compose/ComposerPopover';
import { ComposerEmojiGrid } from './lazy';

/** The composer's emoji picker: a searchable grid; picking inserts at the caret and keeps the picker open. */
export function ComposerEmoji({ onPick }: { onPick: (emoji: string) => void }) {
  const t = useTranslations('composer');
  return (
    <ComposerPopover label={t('insertEmoji')} icon={<Smile size={20} />} wrapClass="composer-emoji" popClass="emoji-picker composer-emoji-pop">
      {() => <ComposerEmojiGrid onPick={onPick} />}
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
