'use client';

import { useEffect, useRef, useState } from 'react';
import type { AttachmentDto } from '@/lib/validation/dto';

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
  return `${(n / 1048576).toFixed(1)} MB`;
}

function iconFor(mime: string): string {
  if (mime === 'application/pdf') return '📕';
  if (mime.includes('word') || mime === 'application/msword') return '📘';
  if (mime.startsWith('text/')) return '📄';
  if (mime.includes('zip') || mime.includes('rar') || mime.includes('7z')) return '🗜️';
  return '📎';
}

function ImageViewer({ a, onClose }: { a: AttachmentDto; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => ref.current?.showModal(), []);
  return (
    <dialog ref={ref} className="viewer" aria-label={a.name} onClose={onClose} onClick={(e) => e.target === ref.current && ref.current?.close()}>
      <img src={a.url} alt={a.name} />
      <div className="viewer-bar">
        <span className="ellipsis">{a.name}</span>
        <a className="btn btn-ghost btn-sm" href={a.url} download={a.name}>
          Download
        </a>
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => ref.current?.close()} autoFocus>
          Close
        </button>
      </div>
    </dialog>
  );
}

/** Images as thumbnails (opening a full-size viewer); other files as cards with a download button. */
export function Attachments({ items }: { items: AttachmentDto[] }) {
  const [open, setOpen] = useState<AttachmentDto | null>(null);
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
            aria-label={`Open image ${a.name}`}
            style={a.width && a.height ? { aspectRatio: `${a.width} / ${a.height}` } : undefined}
          >
            <img src={a.thumbnailUrl} alt={a.name} loading="lazy" data-testid="attachment-thumbnail" />
          </button>
        ) : (
          <div key={a.id} className="file-card" data-testid="attachment-file">
            <span className="file-icon" aria-hidden="true">
              {iconFor(a.mimeType)}
            </span>
            <span className="row-main">
              <span className="row-title ellipsis">{a.name}</span>
              <span className="row-sub">{formatBytes(a.size)}</span>
            </span>
            <a className="btn btn-ghost btn-sm" href={a.url} download={a.name} aria-label={`Download ${a.name}`}>
              Download
            </a>
          </div>
        ),
      )}
      {open && <ImageViewer a={open} onClose={() => setOpen(null)} />}
    </div>
  );
}
