'use client';

import { useRef, useState, type KeyboardEvent } from 'react';
import { MAX_BODY } from '@/lib/validation/messages';

/** Enter sends, Shift+Enter adds a line. */
export function Composer({ onSend, disabledReason, placeholder }: { onSend: (body: string) => void; disabledReason?: string; placeholder: string }) {
  const [text, setText] = useState('');
  const ref = useRef<HTMLTextAreaElement>(null);
  const trimmed = text.trim();
  const tooLong = trimmed.length > MAX_BODY;

  function submit() {
    if (!trimmed || tooLong || disabledReason) return;
    onSend(trimmed);
    setText('');
    ref.current?.focus();
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  }

  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label htmlFor="composer-input" className="sr-only">
        Message
      </label>
      <textarea
        id="composer-input"
        ref={ref}
        rows={1}
        value={text}
        placeholder={disabledReason ?? placeholder}
        disabled={!!disabledReason}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        aria-invalid={tooLong || undefined}
        aria-describedby={tooLong ? 'composer-error' : undefined}
      />
      {tooLong && (
        <p id="composer-error" className="field-error composer-error" role="alert">
          {trimmed.length - MAX_BODY} characters too long
        </p>
      )}
      <button type="submit" className="btn send-btn" disabled={!trimmed || tooLong || !!disabledReason} aria-label="Send">
        ➤
      </button>
    </form>
  );
}
