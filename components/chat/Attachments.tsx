'use client';

import { useLocale, useTranslations } from 'next-intl';
import { File, FileArchive, FileText } from 'lucide-react';
import { useState, type CSSProperties, type ReactNode } from 'react';
import { useModalDialog } from '@/components/ui/useModalDialog';
import type { AttachmentDto } from '@/lib/validation/dto';

/** `1.5 MB` (`1,5 MB` in German): the decimal mark of the active language. */
export function formatBytes(n: number, locale = 'en'): string {
  const fixed = (x: number, digits: number) => x.toLocaleString(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false });
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${fixed(n / 1024, n < 10 * 1024 ? 1 : 0)} KB`;
  return `${fixed(n / 1048576, 1)} MB`;
}

function iconFor(mime: string): ReactNode {
  if (mime === 'application/pdf' || mime.includes('word') || mime === 'application/msword' || mime.startsWith('text/')) return <FileText size={20} />;
  if (mime.includes('zip') || mime.includes('rar') || mime.includes('7z')) return <FileArchive size={20} />;
  return <File size={20} />;
}

const THUMB_MAX = 320;

/** The thumbnail's shown size, known from the attachment before the image loads (so nothing jumps when it does). */
export function thumbSize(a: Pick<AttachmentDto, 'width' | 'height'>): { width: number; height: number } | Record<string, never> {
  if (!a.width || !a.height) return {};
  const scale = Math.min(1, THUMB_MAX / a.width, THUMB_MAX / a.height);
  return { width: Math.max(1, Math.round(a.width * scale)), height: Math.max(1, Math.round(a.height * scale)) };
}

function thumbBox(a: Pick<AttachmentDto, 'width' | 'height'>): CSSProperties | undefined {
  const size = thumbSize(a);
  if (!('width' in size)) return undefined;
  // A fixed width (capped by the column) and the image's aspect ratio reserve the exact box.
  return { width: size.width, aspectRatio: `${a.width} / ${a.height}` };
}

function ImageViewer({ a, onClose }: { a: AttachmentDto; onClose: () => void }) {
  const ref = useModalDialog(true, onClose);
  const t = useTranslations('attachments');
  return (
    <dialog ref={ref} className="viewer" aria-label={a.name} onClick={(e) => e.target === ref.current && ref.current?.close()}>
      <img src={a.url} alt={a.name} />
      <div className="viewer-bar">
        <span className="ellipsis">{a.name}</span>
        <a className="btn btn-ghost btn-sm" href={a.url} download={a.name}>
          {t('download')}
        </a>
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => ref.current?.close()} autoFocus>
          {t('close')}
        </button>
      </div>
    </dialog>
  );
}

/** Images as thumbnails (opening a full-size viewer); other files as cards with a download button. */
export function Attachments({ items }: { items: AttachmentDto[] }) {
  const [open, setOpen] = useState<AttachmentDto | null>(null);
  const t = useTranslations('attachments');
  const locale = useLocale();
  if (items.length === 0) return null;
  return (
    <div className="attachments">
      {items.map((a) =>
        a.thumbnailUrl ? (
          <button
            key={a.id}
            type="button"
            className="thumb"
            onClick={() => setOpen(a)}
            aria-label={t('openImage', { name: a.name })}
            style={thumbBox(a)}
          >
            <img src={a.thumbnailUrl} alt={a.name} loading="lazy" data-testid="attachment-thumbnail" {...thumbSize(a)} />
          </button>
        ) : (
          <div key={a.id} className="file-card" data-testid="attachment-file">
            <span className="file-icon" aria-hidden="true">
              {iconFor(a.mimeType)}
            </span>
            <span className="row-main">
              <span className="row-title ellipsis">{a.name}</span>
              <span className="row-sub">{formatBytes(a.size, locale)}</span>
            </span>
            <a className="btn btn-ghost btn-sm" href={a.url} download={a.name} aria-label={t('downloadName', { name: a.name })}>
              {t('download')}
            </a>
          </div>
        ),
      )}
      {open && <ImageViewer a={open} onClose={() => setOpen(null)} />}
    </div>
  );
}
