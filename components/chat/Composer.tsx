'use client';

import { BellRing, Check, Paperclip, SendHorizontal, X } from 'lucide-react';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { uploadFile } from '@/lib/client/upload';
import { AppError } from '@/lib/errors';
import type { AttachmentDto, MemberDto, MessageDto } from '@/lib/validation/dto';
import { formatBytes } from './Attachments';
import { useSite } from './Site';
import { ComposerEmoji, FormattingHint } from './ComposerExtras';
import { MAX_BODY } from '@/lib/validation/limits';
import { plainExcerpt } from './MessageItem';
import { useSlashCommands, type CommandContext } from './SlashCommands';
import { SendLater } from './compose/SendLater';
import { useTranslations } from 'next-intl';
import { useFormat } from '@/components/i18n/useFormat';
import { useDraftSync, type DraftTarget } from './compose/useDraftSync';
import { useEmojiAutocomplete } from './compose/useEmojiAutocomplete';

interface Props {
  placeholder: string;
  members: MemberDto[];
  /** When `members` is not all of them (a large channel): finds members by name on the server for `@` suggestions. */
  findMembers?: (query: string) => Promise<MemberDto[]>;
  meId: string;
  replyTo: MessageDto | null;
  onCancelReply: () => void;
  onSend: (body: string, attachments: AttachmentDto[], opts: { urgent?: boolean }) => void;
  /** A direct conversation: the next message can be marked urgent (it reaches the other person through do-not-disturb, once an hour). */
  urgentAllowed?: boolean;
  onTyping: (isTyping: boolean) => void;
  /** Up arrow in an empty composer edits your last message. */
  onEditLast: () => void;
  /** A second composer on the page (the thread panel) needs its own input id. */
  inputId?: string;
  /** A warning about the draft (e.g. how many people `@channel` notifies). */
  notice?: (draft: string) => string | null;
  /** Slash commands here: `/name …` runs instead of being sent (components/chat/SlashCommands.tsx). */
  commands?: CommandContext;
  /** Where this composer writes: its text is kept as that conversation's (thread's) draft; "Send later" goes there. */
  draft?: DraftTarget;
}

const IDLE_MS = 5000;

interface Upload {
  key: string;
  name: string;
  size: number;
  progress: number;
  status: 'uploading' | 'done' | 'error';
  attachment?: AttachmentDto;
  error?: string;
  cancel?: () => void;
}

/**
 * An upload's failure in the reader's language: too large (with the site's limit), a type not allowed, or failed (the
 * network, the server); any other refusal (not a member any more, too many at once) as the server words it.
 */
function uploadError(e: unknown, t: ReturnType<typeof useTranslations<'composer'>>, maxSize: string): string {
  if (e instanceof AppError) {
    if (e.code === 'payload_too_large') return t('tooLargeMax', { size: maxSize });
    if (e.code === 'unsupported_media_type') return t('typeNotAllowed');
    if (e.code !== 'internal') return e.message;
  }
  return t('uploadFailed');
}

/** Enter sends, Shift+Enter adds a line; `@` suggests members; typing is announced (throttled by the provider). */
export function Composer(p: Props) {
  const t = useTranslations('composer');
  const f = useFormat();
  const [text, setText] = useState('');
  const [urgent, setUrgent] = useState(false);
  const maxFile = useSite().maxUploadBytes;
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(0);
  const ref = useRef<HTMLTextAreaElement>(null);
  const idle = useRef<ReturnType<typeof setTimeout> | null>(null);
  const trimmed = text.trim();
  const tooLong = trimmed.length > MAX_BODY;
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const uploading = uploads.some((u) => u.status === 'uploading');
  const ready = uploads.filter((u) => u.status === 'done' && u.attachment).map((u) => u.attachment!);
  const canSend = (trimmed.length > 0 || ready.length > 0) && !tooLong && !uploading;
  const slash = useSlashCommands({
    text,
    setText: (next) => {
      setText(next);
      requestAnimationFrame(() => {
        ref.current?.setSelectionRange(next.length, next.length);
        setCaret(next.length);
      });
    },
    context: p.commands,
    listId: `${p.inputId ?? 'composer-input'}-commands`,
  });
  const { clearDraft } = useDraftSync(p.draft, text, setText);
  const [scheduledNote, setScheduledNote] = useState<string | null>(null);
  const emojiAc = useEmojiAutocomplete({ text, caret, setText, setCaret, input: ref });

  function addFiles(files: FileList | File[]) {
    for (const file of Array.from(files).slice(0, 10)) {
      const key = `${Date.now()}-${Math.random()}`;
      if (file.size > maxFile) {
        setUploads((u) => [...u, { key, name: file.name, size: file.size, progress: 0, status: 'error', error: t('tooLargeMax', { size: formatBytes(maxFile, f.locale) }) }]);
        continue;
      }
      const { promise, cancel } = uploadFile(file, (f) => setUploads((u) => u.map((x) => (x.key === key ? { ...x, progress: f } : x))));
      setUploads((u) => [...u, { key, name: file.name || 'pasted image', size: file.size, progress: 0, status: 'uploading', cancel }]);
      promise.then(
        (attachment) => setUploads((u) => u.map((x) => (x.key === key ? { ...x, status: 'done', progress: 1, attachment } : x))),
        (e: unknown) =>
          setUploads((u) =>
            e instanceof AppError && e.message === 'Cancelled' ? u.filter((x) => x.key !== key) : u.map((x) => (x.key === key ? { ...x, status: 'error', error: uploadError(e, t, formatBytes(maxFile, f.locale)) } : x)),
          ),
      );
    }
  }

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
  // Members this client does not hold, found on the server as the `@word` grows (after a pause in typing).
  const findMembers = useRef(p.findMembers);
  useEffect(() => {
    findMembers.current = p.findMembers;
  });
  const canFind = !!p.findMembers;
  const mentionQuery = mention?.query ?? null;
  const [found, setFound] = useState<{ query: string; members: MemberDto[] } | null>(null);
  useEffect(() => {
    if (!canFind || mentionQuery === null) return;
    let current = true;
    const timer = setTimeout(() => {
      findMembers.current?.(mentionQuery).then(
        (members) => current && setFound({ query: mentionQuery, members }),
        () => {},
      );
    }, 150);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [canFind, mentionQuery]);
  const suggestions = useMemo(() => {
    if (!mention) return [];
    const local = p.members.filter((m) => m.username.toLowerCase().startsWith(mention.query) || m.displayName.toLowerCase().includes(mention.query));
    const more = found?.query === mention.query ? found.members.filter((m) => !local.some((l) => l.id === m.id)) : [];
    return [...local, ...more].filter((m) => m.id !== p.meId).slice(0, 6);
  }, [mention, p.members, p.meId, found]);

  function stopTyping() {
    if (idle.current) clearTimeout(idle.current);
    idle.current = null;
    p.onTyping(false);
  }

  function submit() {
    if (!canSend) return;
    if (ready.length === 0 && slash.run(trimmed)) {
      setText('');
      stopTyping();
      ref.current?.focus();
      return;
    }
    p.onSend(trimmed, ready, urgent ? { urgent: true } : {});
    setUrgent(false);
    setUploads([]);
    clearDraft();
    setText('');
    stopTyping();
    ref.current?.focus();
  }

  /** Inserts at the caret (the emoji picker). */
  function insertText(insert: string) {
    const el = ref.current;
    const start = el?.selectionStart ?? text.length;
    const end = el?.selectionEnd ?? text.length;
    const next = text.slice(0, start) + insert + text.slice(end);
    setText(next);
    const pos = start + insert.length;
    requestAnimationFrame(() => {
      ref.current?.setSelectionRange(pos, pos);
      setCaret(pos);
    });
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
    if (slash.onKeyDown(e)) return;
    if (emojiAc.onKeyDown(e)) return;
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
      className={`composer${dragging ? ' dragging' : ''}`}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes('Files')) {
          e.preventDefault();
          setDragging(true);
        }
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        if (e.dataTransfer.files.length) {
          e.preventDefault();
          addFiles(e.dataTransfer.files);
        }
        setDragging(false);
      }}
    >
      {uploads.length > 0 && (
        <ul className="uploads" aria-label={t('attachments')}>
          {uploads.map((u) => (
            <li key={u.key} className={`upload ${u.status}`} data-testid="upload">
              <span className="ellipsis upload-name">{u.name}</span>
              <span className="row-sub">{formatBytes(u.size, f.locale)}</span>
              {u.status === 'uploading' && (
                <progress max={1} value={u.progress} aria-label={t('uploading', { name: u.name })}>
                  {Math.round(u.progress * 100)}%
                </progress>
              )}
              {u.status === 'done' && <Check size={16} aria-label={t('uploaded')} role="img" />}
              {u.status === 'error' && (
                <span className="field-error" role="alert">
                  {u.error}
                </span>
              )}
              <button
                type="button"
                className="icon-btn sm"
                aria-label={u.status === 'uploading' ? t('cancelUpload', { name: u.name }) : t('removeUpload', { name: u.name })}
                onClick={() => {
                  u.cancel?.();
                  setUploads((list) => list.filter((x) => x.key !== u.key));
                }}
              >
                <X size={14} />
              </button>
            </li>
          ))}
        </ul>
      )}
      <input
        ref={fileInput}
        type="file"
        multiple
        hidden
        accept="image/jpeg,image/png,image/gif,image/webp,.pdf,.doc,.docx,.txt,.zip,.rar,.7z"
        onChange={(e) => {
          if (e.target.files) addFiles(e.target.files);
          e.target.value = '';
        }}
        data-testid="file-input"
      />
      <button type="button" className="icon-btn attach-btn" aria-label={t('attach')} title={t('attach')} onClick={() => fileInput.current?.click()}>
        <Paperclip size={20} />
      </button>
      <ComposerEmoji onPick={insertText} />
      {p.urgentAllowed && (
        <button
          type="button"
          className={`icon-btn attach-btn urgent-btn${urgent ? ' on' : ''}`}
          aria-pressed={urgent}
          aria-label={t('urgent')}
          title={urgent ? t('urgentOn') : t('urgentOff')}
          onClick={() => setUrgent((u) => !u)}
        >
          <BellRing size={20} />
        </button>
      )}
      {p.replyTo && (
        <div className="reply-bar" role="status">
          <span>
            {t.rich('replyingTo', { name: p.replyTo.sender?.displayName ?? t('someone'), strong: (chunks) => <strong>{chunks}</strong> })}: <span className="ellipsis">{plainExcerpt(p.replyTo.body)}</span>
          </span>
          <button type="button" className="icon-btn sm" aria-label={t('cancelReply')} onClick={p.onCancelReply}>
            <X size={14} />
          </button>
        </div>
      )}
      {suggestions.length > 0 && (
        <ul className="mention-list" role="listbox" aria-label={t('mention')}>
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
      {slash.menu}
      {slash.notes}
      {emojiAc.list}
      {p.notice?.(text) && (
        <p className="composer-notice" role="status" data-testid="composer-notice">
          {p.notice(text)}
        </p>
      )}
      <label htmlFor={p.inputId ?? 'composer-input'} className="sr-only">
        {t('label')}
      </label>
      <textarea
        id={p.inputId ?? 'composer-input'}
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
        onPaste={(e) => {
          if (e.clipboardData.files.length) {
            e.preventDefault();
            addFiles(e.clipboardData.files);
          }
        }}
        onKeyDown={onKeyDown}
        aria-invalid={tooLong || undefined}
        aria-describedby={tooLong ? 'composer-error' : undefined}
        aria-autocomplete="list"
        {...slash.inputProps}
      />
      {tooLong && (
        <p id="composer-error" className="field-error composer-error" role="alert">
          {trimmed.length - MAX_BODY} characters too long
        </p>
      )}
      <FormattingHint />
      {scheduledNote && (
        <p className="composer-notice" role="status" data-testid="scheduled-note">
          {scheduledNote}
        </p>
      )}
      {p.draft && (
        <SendLater
          conversationId={p.draft.conversationId}
          threadId={p.draft.threadId}
          body={trimmed}
          disabled={trimmed.length === 0 || tooLong || uploads.length > 0}
          onScheduled={(s) => {
            clearDraft();
            setText('');
            setScheduledNote(t('scheduledFor', { when: f.when(s.sendAt) }));
          }}
        />
      )}
      <button type="submit" className="btn send-btn" disabled={!canSend} aria-label={t('send')}>
        <SendHorizontal size={20} />
      </button>
    </form>
  );
}
