'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api } from '@/lib/client/api';
import { AppError } from '@/lib/errors';
import type { ConversationDto } from '@/lib/validation/dto';
import type { PublicUser } from '@/lib/validation/users';
import { useChatActions } from './ChatProvider';
import { UserPicker } from './UserPicker';

export function NewGroupDialog({ open, onClose, meId }: { open: boolean; onClose: () => void; meId: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  const router = useRouter();
  const { upsertConversation } = useChatActions();
  const [title, setTitle] = useState('');
  const [picked, setPicked] = useState<PublicUser[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { conversation } = await api<{ conversation: ConversationDto }>('/conversations', {
        method: 'POST',
        body: { kind: 'group', title, memberIds: picked.map((p) => p.id) },
      });
      upsertConversation(conversation);
      setTitle('');
      setPicked([]);
      onClose();
      router.push(`/c/${conversation.id}`);
    } catch (err) {
      setError(err instanceof AppError ? (err.issues?.[0]?.message ?? err.message) : 'Could not create the group');
    } finally {
      setBusy(false);
    }
  }

  return (
    <dialog ref={ref} className="dialog" aria-labelledby="new-group-title" onClose={onClose}>
      <form onSubmit={submit}>
        <h2 id="new-group-title">New group</h2>
        <div className="field">
          <label htmlFor="group-title">Group name</label>
          <input id="group-title" value={title} onChange={(e) => setTitle(e.target.value)} maxLength={80} required aria-invalid={error ? true : undefined} />
        </div>
        <UserPicker excludeIds={[meId, ...picked.map((p) => p.id)]} onPick={(u) => setPicked((p) => [...p, u])} label="Add people" />
        {picked.length > 0 && (
          <ul className="chips" aria-label="Members to add">
            {picked.map((u) => (
              <li key={u.id} className="chip">
                {u.displayName}
                <button type="button" aria-label={`Remove ${u.displayName}`} onClick={() => setPicked((p) => p.filter((x) => x.id !== u.id))}>
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="btn btn-ghost" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn" disabled={busy || title.trim().length === 0}>
            {busy ? 'Creating…' : 'Create group'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
