'use client';

import { Avatar } from '@/components/ui/Avatar';
import { BotMark } from '@/components/ui/BotMark';
import { api } from '@/lib/client/api';
import type { ConversationDto } from '@/lib/validation/dto';
import { useChatActions } from './ChatProvider';
import { presenceText, shownOnline, usePresenceKnown } from './presence';
import { StatusMarks } from './StatusMarks';
import { UserPicker } from './UserPicker';

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

/**
 * The members of a group or channel, for its details panel or settings: presence, roles (owners change them),
 * Remove (owners and admins; admins only plain members) and "Add member" when `manage`. Errors go to `run`'s owner.
 */
export function MemberList({
  conversation: c,
  meId,
  manage,
  run,
}: {
  conversation: ConversationDto;
  meId: string;
  manage: boolean;
  run: (fn: () => Promise<void>) => Promise<void>;
}) {
  const { upsertConversation } = useChatActions();
  const known = usePresenceKnown();
  const membersCall = async (path: string, init: { method: string; body?: unknown }) => {
    const r = await api<{ conversation: ConversationDto } | undefined>(`/conversations/${c.id}/members${path}`, init);
    if (r?.conversation) upsertConversation(r.conversation);
  };
  return (
    <>
      <h3 className="section-title">
        {c.memberCount} member{c.memberCount === 1 ? '' : 's'}
      </h3>
      <ul className="list pad-x" aria-label="Members">
        {c.members.map((m) => (
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
            {c.kind !== 'direct' && c.myRole === 'owner' && m.id !== meId && (
              <RoleSelect member={m} onChange={(role) => void run(() => membersCall(`/${m.id}`, { method: 'PATCH', body: { role } }))} />
            )}
            {manage && m.id !== meId && (c.myRole === 'owner' || m.role === 'member') && (
              <button
                type="button"
                className="btn btn-ghost btn-sm"
                aria-label={`Remove ${m.displayName}`}
                onClick={() => void run(() => membersCall(`/${m.id}`, { method: 'DELETE' }))}
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
            excludeIds={c.members.map((m) => m.id)}
            onPick={(u) => void run(() => membersCall('', { method: 'POST', body: { userId: u.id } }))}
          />
        </div>
      )}
    </>
  );
}
