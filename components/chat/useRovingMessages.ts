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

  // Touches only what is out of place (a message just rendered, the one that was current): it runs after every render,
  // and a window of 300 messages made rewriting every message's controls each time the larger part of a page's render.
  const apply = useCallback(() => {
    const root = container.current;
    if (!root) return;
    let active = current.current ? root.querySelector<HTMLElement>(`${MESSAGE}[data-message-id="${CSS.escape(current.current)}"]`) : null;
    if (!active) {
      const messages = root.querySelectorAll<HTMLElement>(MESSAGE);
      if (messages.length === 0) {
        root.tabIndex = 0;
        return;
      }
      active = messages[messages.length - 1]!;
      current.current = active.dataset.messageId ?? null;
    }
    // The list itself is reached through its current message.
    if (root.tabIndex !== -1) root.tabIndex = -1;
    // Messages render in the Tab order (tabindex 0): all but the current one leave it, with their controls.
    for (const m of Array.from(root.querySelectorAll<HTMLElement>(`${MESSAGE}[tabindex="0"]`))) if (m !== active) m.tabIndex = -1;
    if (active.tabIndex !== 0) active.tabIndex = 0;
    for (const el of Array.from(root.querySelectorAll<HTMLElement>(`${MESSAGE} :is(${FOCUSABLE}):not([tabindex="-1"])`))) {
      if (active.contains(el)) continue;
      if (el.getAttribute('tabindex') === null) el.dataset.roving = 'off';
      el.tabIndex = -1;
    }
    for (const el of Array.from(active.querySelectorAll<HTMLElement>('[data-roving="off"]'))) {
      el.removeAttribute('tabindex');
      delete el.dataset.roving;
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
