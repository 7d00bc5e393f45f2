'use client';

import { useEffect, useRef } from 'react';

/**
 * A modal <dialog> that follows `open`: shown with showModal() (the rest of the page inert, Esc closes it, focus
 * returns where it was), closed when `open` turns false. Put the returned ref on the <dialog>.
 *
 * `onClose` is called when the dialog closes by itself (Esc, a form with method="dialog"), and already on Esc's
 * `cancel`, in the same task as the key: the `close` event comes a task later, and a key pressed in between to
 * open the dialog again would find `open` still true (nothing to change). A `close` that arrives when the dialog
 * is open again (reopened in between) is stale and is not reported.
 */
export function useModalDialog(open: boolean, onClose?: () => void) {
  const ref = useRef<HTMLDialogElement>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    const closed = (e: Event) => {
      if (e.target !== d || e.defaultPrevented) return;
      if (e.type === 'close' && d.open) return;
      onCloseRef.current?.();
    };
    d.addEventListener('cancel', closed);
    d.addEventListener('close', closed);
    return () => {
      d.removeEventListener('cancel', closed);
      d.removeEventListener('close', closed);
    };
  }, []);
  return ref;
}
