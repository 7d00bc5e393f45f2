'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useActionState, useEffect, useState } from 'react';
import { useModalDialog } from '@/components/ui/useModalDialog';
import { createGroupAction } from '@/app/(chat)/settings/actions';
import type { PublicUser } from '@/lib/validation/users';
import { useChatActions } from './ChatProvider';
import { UserPicker } from './UserPicker';
import { FormError } from '@/components/ui/FieldError';

export function NewGroupDialog({ open, onClose, meId }: { open: boolean; onClose: () => void; meId: string }) {
  const ref = useModalDialog(open, onClose);
  const router = useRouter();
  const { upsertConversation } = useChatActions();
  const [title, setTitle] = useState('');
  const [picked, setPicked] = useState<PublicUser[]>([]);
  const [error, setError] = useState<string | null>(null);
  const t = useTranslations('newGroup');
  const failed = t('failed');

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
    if (!state.ok && state.at) setError(state.fieldErrors?.title ?? state.fieldErrors?.memberIds ?? state.message ?? failed);
  }, [state, failed]);
  const busy = pending;

  return (
    <dialog ref={ref} className="dialog" aria-labelledby="new-group-title">
      <form action={formAction} onSubmit={() => setError(null)}>
        {picked.map((u) => (
          <input key={u.id} type="hidden" name="memberIds" value={u.id} />
        ))}
        <h2 id="new-group-title">{t('title')}</h2>
        <div className="field">
          <label htmlFor="group-title">{t('name')}</label>
          <input id="group-title" name="title" value={title} onChange={(e) => setTitle(e.target.value)} maxLength={80} required aria-invalid={error ? true : undefined} />
        </div>
        <UserPicker excludeIds={[meId, ...picked.map((p) => p.id)]} onPick={(u) => setPicked((p) => [...p, u])} label={t('addPeople')} />
        {picked.length > 0 && (
          <ul className="chips" aria-label={t('toAdd')}>
            {picked.map((u) => (
              <li key={u.id} className="chip">
                {u.displayName}
                <button type="button" aria-label={t('remove', { name: u.displayName })} onClick={() => setPicked((p) => p.filter((x) => x.id !== u.id))}>
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
        <FormError message={error} />
        <div className="dialog-actions">
          <button type="button" className="btn btn-ghost" onClick={onClose}>
            {t('cancel')}
          </button>
          <button type="submit" className="btn" disabled={busy || title.trim().length === 0}>
            {busy ? t('creating') : t('submit')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
