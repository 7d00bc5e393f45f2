'use client';

import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';

/**
 * A composer button that opens a small dialog above it (the emoji picker, "Send later"): the button says whether
 * it is open; Escape or a click outside closes it; closing from inside gives the focus back to the button.
 */
export function ComposerPopover(p: {
  label: string;
  icon: ReactNode;
  wrapClass: string;
  popClass: string;
  disabled?: boolean;
  /** Runs each time it opens (after the dialog is in the page). */
  onOpen?: () => void;
  children: (close: () => void) => ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const onOpen = useRef(p.onOpen);
  onOpen.current = p.onOpen;
  useEffect(() => {
    if (!open) return;
    onOpen.current?.();
    const onDown = (e: MouseEvent) => {
      if (!box.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);
  const close = useCallback(() => {
    setOpen(false);
    button.current?.focus();
  }, []);
  return (
    <div className={p.wrapClass} ref={box}>
      <button
        ref={button}
        type="button"
        className="icon-btn attach-btn"
        aria-label={p.label}
        title={p.label}
        aria-expanded={open}
        disabled={p.disabled}
        onClick={() => setOpen((o) => !o)}
      >
        {p.icon}
      </button>
      {open && (
        <div
          className={p.popClass}
          role="dialog"
          aria-label={p.label}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              e.stopPropagation();
              close();
            }
          }}
        >
          {p.children(close)}
        </div>
      )}
    </div>
  );
}
