'use client';

import { useRouter } from 'next/navigation';
import { useActionState, useEffect, useRef, useState } from 'react';
import { createGroupAction } from '@/app/(chat)/settings/actions';
import type { PublicUser } from '@/lib/validation/users';
import { useChatActions } from './ChatProvider';
import { UserPicker } from './UserPicker';
import { FormError } from '@/components/ui/FieldError';

export function NewGroupDialog({ open, onClose, meId }: { open: boolean; onClose: () => void; meId: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  const router = useRouter();
  const { upsertConversation } = useChatActions();
  const [title, setTitle] = useState('');
  const [picked, setPicked] = useState<PublicUser[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);

  // A server action (the same schema and service as POST /api/v1/conversations): works before hydration too.
  const [state, formAction, pending] = useActionState(createGroupAction, { ok: false, at: 0 });
  useEffect(() => {
    if (!state.ok || !state.data) return;
    upsertConversation(state.data);
    setTitle('');
    setPicked([]);
    onClose();
    router.push(`/c/${state.data.id}`);
  }, [state.at]);
  useEffect(() => {
    if (!state.ok && state.at) setError(state.fieldErrors?.title ?? state.fieldErrors?.memberIds ?? state.message ?? 'Could not create the group');
  }, [state]);
  const busy = pending;

  return (
    <dialog ref={ref} className="dialog" aria-labelledby="new-group-title" onClose={onClose}>
      <form action={formAction} onSubmit={() => setError(null)}>
        {picked.map((u) => (
          <input key={u.id} type="hidden" name="memberIds" value={u.id} />
        ))}
        <h2 id="new-group-title">New group</h2>
        <div className="field">
          <label htmlFor="group-title">Group name</label>
          <input id="group-title" name="title" value={title} onChange={(e) => setTitle(e.target.value)} maxLength={80} required aria-invalid={error ? true : undefined} />
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
        <FormError message={error} />
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
