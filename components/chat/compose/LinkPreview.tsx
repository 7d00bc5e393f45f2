'use client';

import { useTranslations } from 'next-intl';
import { X } from 'lucide-react';
import { useMemo } from 'react';
import { api } from '@/lib/client/api';
import { useCustomEmoji } from '@/lib/client/compose';
import type { LinkPreviewDto } from '@/lib/validation/compose';
import { withCustomEmoji } from './CustomEmoji';

/** The card under a message with a link: title, description and image (served by Chattrix, never the site). */
export function LinkPreviewCard({ preview, messageId, mine }: { preview: LinkPreviewDto; messageId: string; mine: boolean }) {
  const t = useTranslations('linkPreview');
  let host = '';
  try {
    host = new URL(preview.url).host;
  } catch {
    /* shown without it */
  }
  return (
    <div className="link-preview" data-testid="link-preview">
      {preview.imageUrl && (
        // eslint-disable-next-line @next/next/no-img-element
        <img className="link-preview-img" src={preview.imageUrl} alt="" width={preview.imageWidth ?? undefined} height={preview.imageHeight ?? undefined} loading="lazy" />
      )}
      <div className="link-preview-text">
        <span className="row-sub">{preview.siteName ?? host}</span>
        {preview.title && (
          <a href={preview.url} target="_blank" rel="noopener noreferrer nofollow ugc" className="link-preview-title">
            {preview.title}
          </a>
        )}
        {preview.description && <p className="link-preview-desc">{preview.description}</p>}
      </div>
      {mine && (
        <button type="button" className="icon-btn sm link-preview-remove" aria-label={t('remove')} title={t('remove')} onClick={() => void api(`/messages/${messageId}/preview`, { method: 'DELETE' }).catch(() => {})}>
          <X size={14} />
        </button>
      )}
    </div>
  );
}

/** A reaction's emoji: a custom one as its image, else the character. */
export function ReactionEmoji({ emoji }: { emoji: string }) {
  const list = useCustomEmoji();
  const known = useMemo(() => new Map(list.map((e) => [e.name, e])), [list]);
  return <>{withCustomEmoji(emoji, known)}</>;
}
