'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Avatar } from '@/components/ui/Avatar';
import { api } from '@/lib/client/api';
import { AppError } from '@/lib/errors';
import type { ConversationDto } from '@/lib/validation/dto';
import { useChatActions } from './ChatProvider';
import { relativeTime } from './format';
import { UserPicker } from './UserPicker';

export function MembersPanel({ conversation, meId, onClose }: { conversation: ConversationDto; meId: string; onClose: () => void }) {
  const router = useRouter();
  const { upsertConversation } = useChatActions();
  const [error, setError] = useState<string | null>(null);
  const [title, setTitle] = useState(conversation.title ?? '');
  const manage = conversation.kind === 'group' && (conversation.myRole === 'owner' || conversation.myRole === 'admin');

  async function run(fn: () => Promise<void>) {
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e instanceof AppError ? e.message : 'Something went wrong');
    }
  }

  return (
    <aside className="panel" aria-labelledby="members-title">
      <div className="panel-head">
        <h2 id="members-title">{conversation.kind === 'group' ? 'Group' : 'Details'}</h2>
        <button type="button" className="icon-btn" aria-label="Close details" onClick={onClose}>
          ✕
        </button>
      </div>
      {error && (
        <p className="field-error pad" role="alert">
          {error}
        </p>
      )}
      {manage && (
        <form
          className="pad"
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              const r = await api<{ conversation: ConversationDto }>(`/conversations/${conversation.id}`, { method: 'PATCH', body: { title } });
              upsertConversation(r.conversation);
            });
          }}
        >
          <div className="field">
            <label htmlFor="rename">Group name</label>
            <div className="inline">
              <input id="rename" value={title} maxLength={80} onChange={(e) => setTitle(e.target.value)} />
              <button className="btn btn-ghost" type="submit" disabled={!title.trim() || title.trim() === conversation.title}>
                Rename
              </button>
            </div>
          </div>
        </form>
      )}
      <div className="pad">
        <label className="switch">
          <input
            type="checkbox"
            checked={conversation.muted}
            onChange={(e) =>
              void run(async () => {
                const r = await api<{ conversation: ConversationDto }>(`/conversations/${conversation.id}`, { method: 'PATCH', body: { muted: e.target.checked } });
                upsertConversation(r.conversation);
              })
            }
          />{' '}
          Mute notifications
        </label>
      </div>
      <h3 className="section-title">
        {conversation.memberCount} member{conversation.memberCount === 1 ? '' : 's'}
      </h3>
      <ul className="list pad-x" aria-label="Members">
        {conversation.members.map((m) => (
          <li key={m.id} className="row static">
            <Avatar user={m} online={m.online} size="sm" />
            <span className="row-main">
              <span className="row-title">
                {m.displayName}
                {m.id === meId ? ' (you)' : ''}
                {m.role !== 'member' && <span className="role">{m.role}</span>}
              </span>
              <span className="row-sub">{m.online ? 'online' : m.lastSeenAt ? `last seen ${relativeTime(m.lastSeenAt)}` : 'offline'}</span>
            </span>
            {manage && m.id !== meId && (conversation.myRole === 'owner' || m.role === 'member') && (
              <button
                type="button"
                className="btn btn-ghost btn-sm"
                aria-label={`Remove ${m.displayName}`}
                onClick={() => void run(() => api(`/conversations/${conversation.id}/members/${m.id}`, { method: 'DELETE' }))}
              >
                Remove
              </button>
            )}
          </li>
        ))}
      </ul>
      {manage && (
        <div className="pad">
          <UserPicker
            label="Add member"
            excludeIds={conversation.members.map((m) => m.id)}
            onPick={(u) =>
              void run(async () => {
                const r = await api<{ conversation: ConversationDto }>(`/conversations/${conversation.id}/members`, { method: 'POST', body: { userId: u.id } });
                upsertConversation(r.conversation);
              })
            }
          />
        </div>
      )}
      {conversation.kind === 'group' && (
        <div className="pad">
          <button
            type="button"
            className="btn btn-danger"
            onClick={() =>
              void run(async () => {
                if (!window.confirm('Leave this group?')) return;
                await api(`/conversations/${conversation.id}/members/${meId}`, { method: 'DELETE' });
                router.push('/');
              })
            }
          >
            Leave group
          </button>
        </div>
      )}
    </aside>
  );
}
