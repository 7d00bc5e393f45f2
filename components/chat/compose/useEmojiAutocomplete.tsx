'use client';

import { useTranslations } from 'next-intl';
import { useMemo, useState, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import { useCustomEmoji } from '@/lib/client/compose';
import { CustomEmojiImg } from './CustomEmoji';

/**
 * `:par` before the caret suggests the site's custom emoji (↑/↓ to move, Enter or Tab to take one, Escape to
 * leave it). Returns a key handler (true when it used the key) and the list to render.
 */
export function useEmojiAutocomplete(p: { text: string; caret: number; setText: (t: string) => void; setCaret: (n: number) => void; input: RefObject<HTMLTextAreaElement | null> }) {
  const emoji = useCustomEmoji();
  const t = useTranslations('customEmoji');
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const match = useMemo(() => {
    const before = p.text.slice(0, p.caret);
    const m = /(^|\s):([a-z0-9_-]{1,32})$/.exec(before);
    return m ? { query: m[2]!, start: before.length - m[2]!.length - 1 } : null;
  }, [p.text, p.caret]);
  const items = useMemo(
    () => (match && emoji.length && dismissed !== `${match.start}:${match.query}` ? emoji.filter((e) => e.name.includes(match.query)).slice(0, 6) : []),
    [match, emoji, dismissed],
  );

  function pick(name: string) {
    if (!match) return;
    const next = `${p.text.slice(0, match.start)}:${name}: ${p.text.slice(p.caret)}`;
    const pos = match.start + name.length + 3;
    p.setText(next);
    setActive(0);
    requestAnimationFrame(() => {
      p.input.current?.setSelectionRange(pos, pos);
      p.setCaret(pos);
    });
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>): boolean {
    if (items.length === 0) return false;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length);
      return true;
    }
    if (e.key === 'Enter' || e.key === 'Tab') {
      e.preventDefault();
      pick(items[Math.min(active, items.length - 1)]!.name);
      return true;
    }
    if (e.key === 'Escape' && match) {
      setDismissed(`${match.start}:${match.query}`);
      return true;
    }
    return false;
  }

  const list: ReactNode =
    items.length > 0 ? (
      <ul className="mention-list" role="listbox" aria-label={t('label')}>
        {items.map((e, i) => (
          <li key={e.name} role="option" aria-selected={i === active}>
            <button
              type="button"
              className={`row${i === active ? ' active' : ''}`}
              onMouseDown={(ev) => {
                ev.preventDefault();
                pick(e.name);
              }}
            >
              <CustomEmojiImg emoji={e} /> <span>:{e.name}:</span>
            </button>
          </li>
        ))}
      </ul>
    ) : null;

  return { onKeyDown, list };
}
