'use client';

import { useTranslations } from 'next-intl';
import { Fragment, type ReactNode } from 'react';
import type { CustomEmojiDto } from '@/lib/validation/compose';

const TOKEN = /:([a-z0-9][a-z0-9_-]{1,31}):/g;

/** One custom emoji as an image (its `:name:` as the text alternative). */
export function CustomEmojiImg({ emoji, size = 20 }: { emoji: CustomEmojiDto; size?: number }) {
  // eslint-disable-next-line @next/next/no-img-element
  return <img className="custom-emoji" src={emoji.url} alt={`:${emoji.name}:`} title={`:${emoji.name}:`} width={size} height={size} loading="lazy" />;
}

/** Text with every known `:name:` shown as its image; unknown (or deleted) ones stay as text. */
export function withCustomEmoji(text: string, known: Map<string, CustomEmojiDto>): ReactNode {
  if (known.size === 0 || !text.includes(':')) return text;
  const out: ReactNode[] = [];
  let last = 0;
  for (const m of text.matchAll(TOKEN)) {
    const e = known.get(m[1]!);
    if (!e) continue;
    if (m.index > last) out.push(text.slice(last, m.index));
    out.push(<CustomEmojiImg key={m.index} emoji={e} />);
    last = m.index + m[0].length;
  }
  if (out.length === 0) return text;
  out.push(text.slice(last));
  return <Fragment>{out}</Fragment>;
}

/** The pickers' own section for the site's custom emoji (searchable by name). */
export function CustomEmojiSection({ list, q, onPick, labelPrefix = '' }: { list: CustomEmojiDto[]; q: string; onPick: (token: string) => void; labelPrefix?: string }) {
  const shown = list.filter((e) => !q || e.name.includes(q.toLowerCase().replace(/:/g, ''))).slice(0, 60);
  const t = useTranslations('customEmoji');
  if (shown.length === 0) return null;
  return (
    <div className="emoji-custom" role="group" aria-label={t('label')}>
      <span className="row-sub emoji-section-title">{t('section')}</span>
      <div className="emoji-grid">
        {shown.map((e) => (
          <button key={e.name} type="button" className="emoji-btn" title={`:${e.name}:`} aria-label={`${labelPrefix}:${e.name}:`} onClick={() => onPick(`:${e.name}:`)}>
            <CustomEmojiImg emoji={e} size={22} />
          </button>
        ))}
      </div>
    </div>
  );
}
