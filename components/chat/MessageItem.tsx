'use client';

import { Check, Flag, Link2, MessagesSquare, Pencil, Pin, Reply, SmilePlus, Trash2 } from 'lucide-react';
import { memo, useEffect, useState, type KeyboardEvent } from 'react';
import { Avatar } from '@/components/ui/Avatar';
import type { MessageDto, MemberDto } from '@/lib/validation/dto';
import { Attachments } from './Attachments';
import { QUICK_REACTIONS } from './emoji';
import { useTranslations } from 'next-intl';
import { useFormat } from '@/components/i18n/useFormat';
import { IntegrationCards, ReactionPicker, ReportDialog } from './lazy';
import { RichText } from './RichText';
import { BotMark } from '@/components/ui/BotMark';
import { LinkPreviewCard, ReactionEmoji } from './compose/LinkPreview';
import { ThreadSummary } from './ThreadSummary';

export interface MessageActions {
  onReply: (m: MessageDto) => void;
  onEdit: (id: string, body: string) => Promise<void>;
  onDelete: (id: string) => Promise<void>;
  onReact: (id: string, emoji: string, on: boolean) => Promise<void>;
  onPin: (id: string, pinned: boolean) => Promise<void>;
  onJump: (id: string) => void;
  onProfile: (userId: string) => void;
  onStartEdit: (id: string) => void;
  onStopEditing: () => void;
  /** Threads: open this message's thread (absent inside a thread panel). */
  onOpenThread?: (m: MessageDto) => void;
  /** Copies the message's permalink. */
  onCopyLink?: (m: MessageDto) => void;
}

interface Props {
  m: MessageDto;
  meId: string;
  meUsername: string;
  grouped: boolean;
  showAuthor: boolean;
  canModerate: boolean;
  canPin: boolean;
  editing: boolean;
  highlighted: boolean;
  seen: { label: string; names: string } | null;
  members: MemberDto[];
  actions: MessageActions;
}

/** A quote's excerpt without markdown markers. */
export function plainExcerpt(body: string): string {
  return (
    body
      .replace(/```/g, ' ')
      .replace(/[*`]+/g, '')
      // Underscores that mark emphasis (at a word's edge) go; those inside a word (a username like ben_k) stay.
      .replace(/(^|[^\p{L}\p{N}_])_+|_+(?=[^\p{L}\p{N}_]|$)/gu, '$1')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 140)
  );
}

function MessageItemInner(p: Props) {
  const { m, meId, actions } = p;
  const mine = m.sender?.id === meId;
  const [menu, setMenu] = useState<'none' | 'react' | 'picker'>('none');
  const [reporting, setReporting] = useState(false);
  // The actions show only on hover or focus (CSS): their buttons and icons are made only then, not for each of the
  // hundred messages a conversation opens with (some 700 elements and their SVGs, a third of a switch's time).
  const [hovered, setHovered] = useState(false);
  const [focused, setFocused] = useState(false);
  const [draft, setDraft] = useState(m.body);
  const [error, setError] = useState<string | null>(null);
  const d = new Date(m.createdAt);
  const deleted = m.deletedAt !== null;
  const t = useTranslations('message');
  const f = useFormat();
  const nameOf = (id: string) => p.members.find((x) => x.id === id)?.displayName ?? (id === meId ? t('you') : t('someone'));

  useEffect(() => {
    if (p.editing) setDraft(m.body);
  }, [p.editing, m.body]);

  async function run(fn: () => Promise<void>) {
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError((e as Error).message || t('somethingWrong'));
    }
  }

  function onEditKey(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === 'Escape') actions.onStopEditing();
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      const body = draft.trim();
      if (!body) return setError(t('emptyEdit'));
      void run(async () => {
        await actions.onEdit(m.id, body);
        actions.onStopEditing();
      });
    }
  }

  const react = (emoji: string) => {
    const mineAlready = m.reactions.some((r) => r.emoji === emoji && r.userIds.includes(meId));
    setMenu('none');
    void run(() => actions.onReact(m.id, emoji, !mineAlready));
  };

  return (
    <article
      className={`msg${mine ? ' mine' : ''}${p.grouped ? ' grouped' : ''}${p.highlighted ? ' highlighted' : ''}${m.mentions.includes(meId) ? ' mentions-me' : ''}`}
      data-testid="message"
      data-message-id={m.id}
      data-seq={m.seq}
      id={`m-${m.id}`}
      tabIndex={0}
      aria-label={t('label', { name: m.sender?.displayName ?? t('someone'), time: f.clockTime(d) })}
      onMouseEnter={() => setHovered(true)}
      onMouseLeave={() => setHovered(false)}
      onFocus={() => setFocused(true)}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setFocused(false);
      }}
    >
      {!mine && !p.grouped && m.sender && (
        <button type="button" className="avatar-btn" onClick={() => actions.onProfile(m.sender!.id)} aria-label={t('profileOf', { name: m.sender.displayName })}>
          {m.integration?.icon ? <IntegrationIcon src={m.integration.icon} fallback={m.sender} /> : <Avatar user={m.sender} size="sm" />}
        </button>
      )}
      <div className="msg-col">
        {p.showAuthor && (
          <button type="button" className="msg-author linkish" onClick={() => m.sender && actions.onProfile(m.sender.id)}>
            {m.integration?.username ?? m.sender?.displayName ?? t('deletedAccount')}
            <BotMark bot={m.sender?.bot} />
            {m.integration?.username && m.sender && m.integration.username !== m.sender.displayName && <span className="muted-mark"> via {m.sender.displayName}</span>}
          </button>
        )}
        {m.replyTo && !deleted && (
          <button type="button" className="reply-quote" onClick={() => actions.onJump(m.replyTo!.id)} aria-label={t('replyTo', { name: m.replyTo.sender?.displayName ?? t('aMessage') })}>
            <strong>{m.replyTo.sender?.displayName ?? t('someone')}</strong>
            <span>{m.replyTo.deleted ? t('deleted') : plainExcerpt(m.replyTo.body)}</span>
          </button>
        )}
        {p.editing ? (
          <div className="edit-box">
            <label htmlFor={`edit-${m.id}`} className="sr-only">
              {t('editMessage')}
            </label>
            <textarea id={`edit-${m.id}`} value={draft} autoFocus onChange={(e) => setDraft(e.target.value)} onKeyDown={onEditKey} rows={2} />
            <div className="edit-hint">
              Enter to save · Esc to cancel{' '}
              <button type="button" className="linklike" onClick={() => actions.onStopEditing()}>
                {t('cancel')}
              </button>
            </div>
          </div>
        ) : (
          <div className={`bubble${deleted ? ' deleted' : ''}`}>
            {deleted ? (
              <em>{t('deleted')}</em>
            ) : (
              <>
                <Attachments items={m.attachments} />
                {m.body && (
                  <div className="msg-body">
                    <RichText text={m.body} meUsername={p.meUsername} />
                  </div>
                )}
                {m.integration?.cards && <IntegrationCards cards={m.integration.cards} meUsername={p.meUsername} />}
                {m.preview && <LinkPreviewCard preview={m.preview} messageId={m.id} mine={mine} />}
              </>
            )}
            <span className="msg-meta">
              {m.pinnedAt && !deleted && (
                <span title={t('pinned')} aria-label={t('pinned')} role="img">
                  <Pin size={12} className="meta-icon" />{' '}
                </span>
              )}
              {m.editedAt && !deleted && <span title={t('editedAt', { when: f.exactTime(m.editedAt) })}>{t('edited')} · </span>}
              <time dateTime={m.createdAt} title={f.exactTime(m.createdAt)}>
                {f.clockTime(d)}
              </time>
              {mine && (
                <span className="tick" aria-label={t('sent')} title={t('sent')} role="img">
                  <Check size={14} />
                </span>
              )}
            </span>
          </div>
        )}
        {m.reactions.length > 0 && (
          <div className="reactions" aria-label={t('reactions')}>
            {m.reactions.map((r) => {
              const on = r.userIds.includes(meId);
              return (
                <button
                  key={r.emoji}
                  type="button"
                  className={`reaction${on ? ' on' : ''}`}
                  aria-pressed={on}
                  title={r.userIds.map(nameOf).join(', ')}
                  aria-label={t('reactionBy', { emoji: r.emoji, count: r.count, names: r.userIds.map(nameOf).join(', ') })}
                  onClick={() => react(r.emoji)}
                >
                  <ReactionEmoji emoji={r.emoji} /> <span>{r.count}</span>
                </button>
              );
            })}
          </div>
        )}
        {m.threadId && m.alsoToChannel && actions.onOpenThread && (
          <button type="button" className="linklike thread-mark" onClick={() => actions.onOpenThread!({ ...m, id: m.threadId! })}>
            {t('repliedInThread')}
          </button>
        )}
        {actions.onOpenThread && !m.threadId && <ThreadSummary m={m} members={p.members} onOpen={() => actions.onOpenThread!(m)} />}
        {p.seen && (
          <div className="seen" title={p.seen.names} data-testid="seen">
            {p.seen.label}
          </div>
        )}
        {error && (
          <div className="failed-actions" role="alert">
            {error}
          </div>
        )}
        {reporting && <ReportDialog messageId={m.id} onClose={() => setReporting(false)} />}
        {!deleted && !p.editing && (hovered || focused || menu !== 'none') && (
          <div className="msg-tools" role="toolbar" aria-label={t('actions')}>
            <button type="button" className="tool" aria-label={t('react')} title={t('react')} aria-expanded={menu !== 'none'} onClick={() => setMenu(menu === 'none' ? 'react' : 'none')}>
              <SmilePlus size={18} />
            </button>
            <button type="button" className="tool" aria-label={t('reply')} title={t('reply')} onClick={() => actions.onReply(m)}>
              <Reply size={18} />
            </button>
            {actions.onOpenThread && !m.threadId && (
              <button type="button" className="tool" aria-label={t('replyInThread')} title={t('replyInThread')} onClick={() => actions.onOpenThread!(m)}>
                <MessagesSquare size={18} />
              </button>
            )}
            {actions.onCopyLink && (
              <button type="button" className="tool" aria-label={t('copyLink')} title={t('copyLink')} onClick={() => actions.onCopyLink!(m)}>
                <Link2 size={18} />
              </button>
            )}
            {mine && (
              <button type="button" className="tool" aria-label={t('edit')} title={t('edit')} onClick={() => actions.onStartEdit(m.id)}>
                <Pencil size={16} />
              </button>
            )}
            {p.canPin && (
              <button type="button" className="tool" aria-label={m.pinnedAt ? t('unpin') : t('pin')} title={m.pinnedAt ? t('unpin') : t('pin')} onClick={() => void run(() => actions.onPin(m.id, !m.pinnedAt))}>
                <Pin size={16} />
              </button>
            )}
            {(mine || p.canModerate) && (
              <button
                type="button"
                className="tool"
                aria-label={t('delete')}
                title={t('delete')}
                onClick={() => {
                  if (window.confirm(t('confirmDelete'))) void run(() => actions.onDelete(m.id));
                }}
              >
                <Trash2 size={16} />
              </button>
            )}
            {!mine && m.kind === 'user' && (
              <button type="button" className="tool" aria-label={t('report')} title={t('reportTitle')} onClick={() => setReporting(true)}>
                <Flag size={16} />
              </button>
            )}
            {menu !== 'none' && (
              <div className="react-menu">
                {menu === 'react' ? (
                  <div className="quick-reactions">
                    {QUICK_REACTIONS.map((e) => (
                      <button key={e} type="button" className="emoji-btn" aria-label={t('reactWith', { emoji: e })} onClick={() => react(e)}>
                        {e}
                      </button>
                    ))}
                    <button type="button" className="emoji-btn" aria-label={t('moreReactions')} onClick={() => setMenu('picker')}>
                      +
                    </button>
                  </div>
                ) : (
                  <ReactionPicker onPick={react} onClose={() => setMenu('none')} />
                )}
              </div>
            )}
          </div>
        )}
      </div>
    </article>
  );
}

export const MessageItem = memo(MessageItemInner);

/** An integration's own icon (Chattrix's copy); its bot's avatar while that copy is missing (not fetched, or no image). */
function IntegrationIcon({ src, fallback }: { src: string; fallback: NonNullable<MessageDto['sender']> }) {
  const [broken, setBroken] = useState(false);
  if (broken) return <Avatar user={fallback} size="sm" />;
  return (
    <span className="avatar sm" aria-hidden="true">
      <img src={src} alt="" onError={() => setBroken(true)} data-testid="integration-icon" />
    </span>
  );
}
