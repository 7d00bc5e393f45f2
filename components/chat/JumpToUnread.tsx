'use client';

import { useTranslations } from 'next-intl';
import { ArrowUp } from 'lucide-react';
import { useEffect, useState, type RefObject } from 'react';

/** "Jump to first unread", while the "New" divider is above the view; gone once it has been seen. */
export function JumpToUnread({ container }: { container: RefObject<HTMLDivElement | null> }) {
  const t = useTranslations('messages');
  const [above, setAbove] = useState(false);
  const [seen, setSeen] = useState(false);
  useEffect(() => {
    const root = container.current;
    if (!root) return;
    const check = () => {
      const divider = root.querySelector<HTMLElement>('#first-unread');
      if (!divider) return setAbove(false);
      const d = divider.getBoundingClientRect();
      const r = root.getBoundingClientRect();
      const isAbove = d.bottom < r.top + 4;
      setAbove(isAbove);
      if (!isAbove && d.top < r.bottom) setSeen(true);
    };
    check();
    const timer = setTimeout(check, 300);
    root.addEventListener('scroll', check, { passive: true });
    return () => {
      clearTimeout(timer);
      root.removeEventListener('scroll', check);
    };
  }, [container]);
  if (!above || seen) return null;
  return (
    <button
      type="button"
      className="jump-unread btn btn-ghost btn-sm"
      style={{ background: 'var(--surface)' }}
      onClick={() => {
        // An instant jump, as Slack does: a smooth scroll starts next to the bottom, where a "Seen" line or a
        // receipt arriving in the first frames keeps the view pinned there and cancels the animation.
        container.current?.querySelector('#first-unread')?.scrollIntoView({ block: 'start', behavior: 'auto' });
        setSeen(true);
      }}
    >
      <ArrowUp size={14} aria-hidden="true" /> {t('jumpToUnread')}
    </button>
  );
}
