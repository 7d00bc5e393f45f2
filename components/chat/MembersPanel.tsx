'use client';

import { BotMark } from '@/components/ui/BotMark';
import { WebhooksSettings } from './WebhooksSettings';
import { X } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Avatar } from '@/components/ui/Avatar';
import { api } from '@/lib/client/api';
import { AppError } from '@/lib/errors';
import type { ConversationDto } from '@/lib/validation/dto';
import { useChatActions } from './ChatProvider';
import { presenceText, shownOnline, usePresenceKnown } from './presence';
import { OutgoingWebhooks } from './OutgoingWebhooks';
import { StatusMarks } from './StatusMarks';
import { NotifySelect } from './NotifySelect';
import { UserPicker } from './UserPicker';
import { FormError } from '@/components/ui/FieldError';

type Role = 'owner' | 'admin' | 'member';

/** Owners change a member's role (the API: PATCH /conversations/{id}/members/{userId} {role}). */
function RoleSelect({ member, onChange }: { member: { id: string; displayName: string; role: string }; onChange: (role: Role) => void }) {
  const id = `role-${member.id}`;
  return (
    <>
      <label htmlFor={id} className="sr-only">
        Role of {member.displayName}
      </label>
      <select id={id} className="role-select" value={member.role} onChange={(e) => onChange(e.target.value as Role)}>
        <option value="member">Member</option>
        <option value="admin">Admin</option>
        <option value="owner">Owner</option>
      </select>
    </>
  );
}

export function MembersPanel({ conversation, meId, onClose }: { conversation: ConversationDto; meId: string; onClose: () => void }) {
  const router = useRouter();
  const { upsertConversation } = useChatActions();
  const [error, setError] = useState<string | null>(null);
  const known = usePresenceKnown();
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
          <X size={18} />
        </button>
      </div>
      <FormError message={error} pad />
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
        <NotifySelect
          value={conversation.notify}
          onChange={(notify) =>
            void run(async () => {
              const r = await api<{ conversation: ConversationDto }>(`/conversations/${conversation.id}`, { method: 'PATCH', body: { notify } });
              upsertConversation(r.conversation);
            })
          }
        />
      </div>
      <h3 className="section-title">
        {conversation.memberCount} member{conversation.memberCount === 1 ? '' : 's'}
      </h3>
      <ul className="list pad-x" aria-label="Members">
        {conversation.members.map((m) => (
          <li key={m.id} className="row static">
            <Avatar user={m} online={shownOnline(m.online, known)} size="sm" />
            <span className="row-main">
              <span className="row-title">
                {m.displayName}
                <BotMark bot={m.bot} />
                {m.id === meId ? ' (you)' : ''}
                <StatusMarks user={m} />
                {m.role !== 'member' && <span className="role">{m.role}</span>}
              </span>
              <span className="row-sub">{m.online && m.away && known ? 'away' : presenceText(m, known)}</span>
            </span>
            {conversation.kind === 'group' && conversation.myRole === 'owner' && m.id !== meId && (
              <RoleSelect
                member={m}
                onChange={(role) =>
                  void run(async () => {
                    const r = await api<{ conversation: ConversationDto }>(`/conversations/${conversation.id}/members/${m.id}`, { method: 'PATCH', body: { role } });
                    upsertConversation(r.conversation);
                  })
                }
              />
            )}
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
      {manage && conversation.kind === 'group' && <WebhooksSettings conversationId={conversation.id} />}
      {manage && <OutgoingWebhooks scope={{ kind: 'conversation', id: conversation.id, memberIds: conversation.members.map((m) => m.id) }} />}
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
