'use client';

import { useTranslations } from 'next-intl';
import { X } from 'lucide-react';
import { useEffect, useMemo, useState, type KeyboardEvent, type ReactNode } from 'react';
import { api } from '@/lib/client/api';
import { addEphemeral, dismissEphemeral, useEphemeralNotes } from '@/lib/client/ephemeral';
import { newClientNoteId } from '@/lib/client/note-id';
import type { EphemeralDto, ListedCommand } from '@/lib/validation/commands';
import { useRealtime } from './Realtime';
import { RichText } from './RichText';

let commandsOnce: Promise<ListedCommand[]> | null = null;
function loadCommands(): Promise<ListedCommand[]> {
  commandsOnce ??= api<{ commands: ListedCommand[] }>('/commands')
    .then((r) => r.commands)
    .catch(() => {
      commandsOnce = null;
      return [];
    });
  return commandsOnce;
}

export interface CommandContext {
  conversationId: string;
  threadId?: string;
  meUsername: string;
}

/**
 * Slash commands in a composer: the list of commands while you type `/name` (a listbox the textarea points at with
 * aria-controls / aria-activedescendant; ↑ ↓ move, Enter or Tab pick, Esc closes), running a command instead of
 * sending it, and the answers only you see. The composer spreads `inputProps`, calls `onKeyDown` first and `run`
 * on submit.
 */
export function useSlashCommands(opts: { text: string; setText: (s: string) => void; context?: CommandContext; listId: string }) {
  const { text, setText, context, listId } = opts;
  const t = useTranslations('commands');
  const [commands, setCommands] = useState<ListedCommand[]>([]);
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const typing = Boolean(context) && /^\/[A-Za-z0-9_-]*$/.test(text);

  useEffect(() => {
    if (typing && commands.length === 0) void loadCommands().then(setCommands);
  }, [typing, commands.length]);

  const matches = useMemo(() => {
    if (!typing || dismissed === text) return [];
    const q = text.slice(1).toLowerCase();
    return commands.filter((c) => c.name.startsWith(q) && `/${c.name}` !== text).slice(0, 8);
  }, [typing, dismissed, text, commands]);
  const open = matches.length > 0;
  const current = Math.min(active, Math.max(0, matches.length - 1));

  useEffect(() => setActive(0), [text]);

  const pick = (c: ListedCommand) => setText(`/${c.name} `);

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>): boolean {
    if (!open) return false;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length);
      return true;
    }
    if (e.key === 'Enter' || e.key === 'Tab') {
      e.preventDefault();
      pick(matches[current]!);
      return true;
    }
    if (e.key === 'Escape') {
      e.preventDefault();
      setDismissed(text);
      return true;
    }
    return false;
  }

  /** Runs `/name …` (not `//…`, which is sent as a message); true when it took the text. */
  function run(body: string): boolean {
    if (!context || !/^\/[A-Za-z0-9_-]/.test(body)) return false;
    const where = { conversationId: context.conversationId, threadId: context.threadId ?? null, command: body.split(/\s/)[0]! };
    void api<{ ephemeral?: EphemeralDto }>(`/conversations/${context.conversationId}/commands`, {
      method: 'POST',
      body: { text: body, ...(context.threadId ? { threadId: context.threadId } : {}) },
    }).then(
      (r) => r.ephemeral && addEphemeral(r.ephemeral),
      (e: unknown) => addEphemeral({ id: newClientNoteId(), ...where, text: t('failed', { command: where.command, error: (e as Error).message }) }),
    );
    return true;
  }

  const menu: ReactNode = open ? (
    <ul className="mention-list command-list" id={listId} role="listbox" aria-label={t('label')}>
      {matches.map((c, i) => (
        // The options themselves take the pointer (no button inside an option: the textarea keeps the focus).
        <li
          key={c.name}
          id={`${listId}-${i}`}
          role="option"
          aria-selected={i === current}
          className={`row${i === current ? ' active' : ''}`}
          onMouseDown={(e) => {
            e.preventDefault();
            pick(c);
          }}
        >
          <span>
            <strong>/{c.name}</strong> {c.usageHint && <span className="muted-mark">{c.usageHint}</span>}
          </span>
          <span className="row-sub">{c.description}</span>
        </li>
      ))}
    </ul>
  ) : null;

  const inputProps = open ? { 'aria-controls': listId, 'aria-activedescendant': `${listId}-${current}` } : {};
  const notes = context ? <EphemeralNotes conversationId={context.conversationId} threadId={context.threadId ?? null} meUsername={context.meUsername} /> : null;
  return { menu, notes, inputProps, onKeyDown, run };
}

/** The answers only you see, for this conversation (or thread); live from the `command:ephemeral` event. */
function EphemeralNotes({ conversationId, threadId, meUsername }: { conversationId: string; threadId: string | null; meUsername: string }) {
  const t = useTranslations('commands');
  const { socket } = useRealtime();
  const all = useEphemeralNotes();
  useEffect(() => {
    if (!socket) return;
    socket.on('command:ephemeral', addEphemeral);
    return () => {
      socket.off('command:ephemeral', addEphemeral);
    };
  }, [socket]);
  const here = all.filter((n) => n.conversationId === conversationId && n.threadId === threadId);
  if (here.length === 0) return null;
  return (
    <ul className="ephemeral-notes" aria-label={t('onlyYou')} role="log" aria-live="polite">
      {here.map((n) => (
        <li key={n.id} className="ephemeral-note" data-testid="ephemeral-note">
          <span className="row-sub">{t('onlyYou')} · {n.command}</span>
          <div className="msg-body">
            <RichText text={n.text} meUsername={meUsername} />
          </div>
          <button type="button" className="icon-btn sm" aria-label={t('dismiss')} onClick={() => dismissEphemeral(n.id)}>
            <X size={14} />
          </button>
        </li>
      ))}
    </ul>
  );
}
