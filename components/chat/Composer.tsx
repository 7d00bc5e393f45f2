'use client';

import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { MemberDto, MessageDto } from '@/lib/validation/dto';
import { MAX_BODY } from '@/lib/validation/messages';
import { plainExcerpt } from './MessageItem';

interface Props {
  placeholder: string;
  members: MemberDto[];
  meId: string;
  replyTo: MessageDto | null;
  onCancelReply: () => void;
  onSend: (body: string) => void;
  onTyping: (isTyping: boolean) => void;
  /** Up arrow in an empty composer edits your last message. */
  onEditLast: () => void;
}

const IDLE_MS = 5000;

/** Enter sends, Shift+Enter adds a line; `@` suggests members; typing is announced (throttled by the provider). */
export function Composer(p: Props) {
  const [text, setText] = useState('');
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(0);
  const ref = useRef<HTMLTextAreaElement>(null);
  const idle = useRef<ReturnType<typeof setTimeout> | null>(null);
  const trimmed = text.trim();
  const tooLong = trimmed.length > MAX_BODY;

  useEffect(() => {
    if (p.replyTo) ref.current?.focus();
  }, [p.replyTo]);

  useEffect(
    () => () => {
      if (idle.current) clearTimeout(idle.current);
    },
    [],
  );

  // The `@word` right before the caret, if any.
  const mention = useMemo(() => {
    const before = text.slice(0, caret);
    const m = /(^|\s)@([A-Za-z0-9_.]{0,32})$/.exec(before);
    return m ? { query: m[2]!.toLowerCase(), start: before.length - m[2]!.length - 1 } : null;
  }, [text, caret]);
  const suggestions = useMemo(
    () =>
      mention
        ? p.members
            .filter((m) => m.id !== p.meId && (m.username.toLowerCase().startsWith(mention.query) || m.displayName.toLowerCase().includes(mention.query)))
            .slice(0, 6)
        : [],
    [mention, p.members, p.meId],
  );

  function stopTyping() {
    if (idle.current) clearTimeout(idle.current);
    idle.current = null;
    p.onTyping(false);
  }

  function submit() {
    if (!trimmed || tooLong) return;
    p.onSend(trimmed);
    setText('');
    stopTyping();
    ref.current?.focus();
  }

  function pick(m: MemberDto) {
    if (!mention) return;
    const next = `${text.slice(0, mention.start)}@${m.username} ${text.slice(caret)}`;
    setText(next);
    const pos = mention.start + m.username.length + 2;
    requestAnimationFrame(() => {
      ref.current?.setSelectionRange(pos, pos);
      setCaret(pos);
    });
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (suggestions.length > 0) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : suggestions.length - 1)) % suggestions.length);
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        pick(suggestions[Math.min(active, suggestions.length - 1)]!);
        return;
      }
    }
    if (e.key === 'Escape' && p.replyTo) {
      p.onCancelReply();
      return;
    }
    if (e.key === 'ArrowUp' && text.length === 0) {
      e.preventDefault();
      p.onEditLast();
      return;
    }
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
      {p.replyTo && (
        <div className="reply-bar" role="status">
          <span>
            Replying to <strong>{p.replyTo.sender?.displayName ?? 'Someone'}</strong>: <span className="ellipsis">{plainExcerpt(p.replyTo.body)}</span>
          </span>
          <button type="button" className="icon-btn sm" aria-label="Cancel reply" onClick={p.onCancelReply}>
            ✕
          </button>
        </div>
      )}
      {suggestions.length > 0 && (
        <ul className="mention-list" role="listbox" aria-label="Mention someone">
          {suggestions.map((m, i) => (
            <li key={m.id} role="option" aria-selected={i === active}>
              <button
                type="button"
                className={`row${i === active ? ' active' : ''}`}
                onMouseDown={(e) => {
                  e.preventDefault();
                  pick(m);
                }}
              >
                <strong>{m.displayName}</strong> <span className="row-sub">@{m.username}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <label htmlFor="composer-input" className="sr-only">
        Message
      </label>
      <textarea
        id="composer-input"
        ref={ref}
        rows={1}
        value={text}
        placeholder={p.placeholder}
        onChange={(e) => {
          setText(e.target.value);
          setCaret(e.target.selectionStart);
          setActive(0);
          if (e.target.value.trim()) {
            p.onTyping(true);
            if (idle.current) clearTimeout(idle.current);
            idle.current = setTimeout(stopTyping, IDLE_MS);
          } else stopTyping();
        }}
        onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
        onBlur={stopTyping}
        onKeyDown={onKeyDown}
        aria-invalid={tooLong || undefined}
        aria-describedby={tooLong ? 'composer-error' : undefined}
        aria-autocomplete="list"
      />
      {tooLong && (
        <p id="composer-error" className="field-error composer-error" role="alert">
          {trimmed.length - MAX_BODY} characters too long
        </p>
      )}
      <button type="submit" className="btn send-btn" disabled={!trimmed || tooLong} aria-label="Send">
        ➤
      </button>
    </form>
  );
}
