'use client';

import { useEffect, useRef } from 'react';

/**
 * A modal <dialog> that follows `open`: shown with showModal() (the rest of the page inert, Esc closes it, focus
 * returns where it was), closed when `open` turns false. Put the returned ref on the <dialog>.
 */
export function useModalDialog(open: boolean) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return ref;
}
