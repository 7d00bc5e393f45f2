'use client';

import { useCallback, useLayoutEffect, useRef, type KeyboardEvent, type RefObject } from 'react';

const MESSAGE = '[data-testid="message"]';
const FOCUSABLE = 'a[href], button, input, textarea, select, [tabindex]';

/**
 * The history is ONE Tab stop: only the current message is in the Tab order (with its own buttons and links, so Tab
 * reaches its actions); ↑/↓ move between messages, Home/End to the first/last. Other messages' controls leave the
 * Tab order (`tabindex=-1`, marked so they can come back). Without this, reaching the composer from the top of a
 * 20-message conversation took 148 Tab presses.
 */
export function useRovingMessages(container: RefObject<HTMLDivElement | null>) {
  const current = useRef<string | null>(null);

  const apply = useCallback(() => {
    const root = container.current;
    if (!root) return;
    const messages = Array.from(root.querySelectorAll<HTMLElement>(MESSAGE));
    if (messages.length === 0) {
      root.tabIndex = 0;
      return;
    }
    let active = messages.find((m) => m.dataset.messageId === current.current);
    if (!active) {
      active = messages[messages.length - 1]!;
      current.current = active.dataset.messageId ?? null;
    }
    // The list itself is reached through its current message.
    root.tabIndex = -1;
    for (const m of messages) {
      const on = m === active;
      m.tabIndex = on ? 0 : -1;
      for (const el of Array.from(m.querySelectorAll<HTMLElement>(FOCUSABLE))) {
        if (on) {
          if (el.dataset.roving === 'off') {
            el.removeAttribute('tabindex');
            delete el.dataset.roving;
          }
        } else if (el.tabIndex !== -1 || el.dataset.roving === 'off') {
          if (el.getAttribute('tabindex') === null) el.dataset.roving = 'off';
          el.tabIndex = -1;
        }
      }
    }
  }, [container]);

  // After every render of the list (new messages, edits, reactions).
  useLayoutEffect(() => apply());

  const onFocus = useCallback(
    (e: React.FocusEvent<HTMLDivElement>) => {
      const msg = (e.target as HTMLElement).closest<HTMLElement>(MESSAGE);
      if (msg && msg.dataset.messageId && msg.dataset.messageId !== current.current) {
        current.current = msg.dataset.messageId;
        apply();
      }
    },
    [apply],
  );

  const onKeyDown = useCallback(
    (e: KeyboardEvent<HTMLDivElement>) => {
      const root = container.current;
      if (!root || e.altKey || e.ctrlKey || e.metaKey) return;
      const target = e.target as HTMLElement;
      // Only when a message itself (or the list) has focus: inputs inside (editing) keep their arrows.
      if (target !== root && !target.matches(MESSAGE)) return;
      const messages = Array.from(root.querySelectorAll<HTMLElement>(MESSAGE));
      if (messages.length === 0) return;
      const i = messages.findIndex((m) => m.dataset.messageId === current.current);
      let j = -1;
      if (e.key === 'ArrowUp') j = i <= 0 ? 0 : i - 1;
      else if (e.key === 'ArrowDown') j = i < 0 ? messages.length - 1 : Math.min(messages.length - 1, i + 1);
      else if (e.key === 'Home') j = 0;
      else if (e.key === 'End') j = messages.length - 1;
      else return;
      e.preventDefault();
      const next = messages[j]!;
      current.current = next.dataset.messageId ?? null;
      apply();
      next.focus();
      next.scrollIntoView({ block: 'nearest' });
    },
    [apply, container],
  );

  return { onFocus, onKeyDown };
}
