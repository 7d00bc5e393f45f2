'use client';

import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import { useChat } from '@/components/chat/ChatProvider';
import { CustomEmojiImg } from '@/components/chat/compose/CustomEmoji';
import { FieldError, fieldAria } from '@/components/ui/FieldError';
import { api } from '@/lib/client/api';
import { applyEmojiUpdate, useCustomEmoji } from '@/lib/client/compose';
import { AppError } from '@/lib/errors';
import { uploadMultipart } from '@/lib/client/upload';
import type { CustomEmojiDto } from '@/lib/validation/compose';

/**
 * Settings → Custom emoji: the site's own emoji (`:name:` in messages and reactions), live; add one (PNG, GIF or
 * WebP up to 256 KB; admins, or everyone when the site allows it) and delete your own (admins: any).
 */
export function EmojiSettings() {
  const t = useTranslations('emojiSettings');
  const list = useCustomEmoji();
  const me = useChat((s) => s.me);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ field: 'name' | 'file' | null; message: string } | null>(null);
  const [note, setNote] = useState<string | null>(null);

  async function add(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const file = f.get('file');
    if (!(file instanceof File) || file.size === 0) return setError({ field: 'file', message: t('chooseImage') });
    setBusy(true);
    setError(null);
    setNote(null);
    try {
      const fields = { name: String(f.get('name') ?? '').trim() };
      const emoji = await uploadMultipart<CustomEmojiDto>({ path: '/api/v1/emoji', file, fields, key: 'emoji' }).promise;
      applyEmojiUpdate({ emoji });
      setNote(t('added', { name: emoji.name }));
      form.reset();
    } catch (e) {
      const err = e instanceof AppError ? e : new AppError('internal', t('network'));
      const path = String(err.issues?.[0]?.path?.[0] ?? '');
      // A refusal of the name or the image is shown at that field; a refusal of the person, or a network error, at the form.
      const field = path === 'name' ? 'name' : err.code === 'forbidden' || err.code === 'internal' ? null : 'file';
      setError({ field, message: err.issues?.[0]?.message ?? err.message });
    } finally {
      setBusy(false);
    }
  }

  async function remove(name: string) {
    if (!window.confirm(t('confirmDelete', { name }))) return;
    try {
      await api(`/emoji/${encodeURIComponent(name)}`, { method: 'DELETE' });
      applyEmojiUpdate({ deleted: name });
      setNote(t('deleted', { name }));
    } catch (e) {
      setNote(e instanceof AppError ? e.message : t('deleteFailed'));
    }
  }

  return (
    <section className="card" aria-labelledby="emoji-title" aria-busy={busy}>
      <h2 id="emoji-title">{t('title')}</h2>
      <p className="row-sub">{t('intro')}</p>
      <form onSubmit={add} aria-label={t('addLabel')}>
        <div className="inline wrap">
          <div className="field grow">
            <label htmlFor="emoji-name">{t('name')}</label>
            <input
              id="emoji-name"
              name="name"
              required
              pattern="[a-z0-9][a-z0-9_\-]{1,31}"
              maxLength={32}
              placeholder="party-parrot"
              autoComplete="off"
              {...fieldAria(error, 'name', 'emoji-name', 'emoji-name-hint')}
            />
            <span className="row-sub" id="emoji-name-hint">
              {t('nameHint')}
            </span>
            <FieldError error={error} field="name" idBase="emoji-name" />
          </div>
          <div className="field grow">
            <label htmlFor="emoji-file">{t('image')}</label>
            <input
              id="emoji-file"
              name="file"
              type="file"
              accept="image/png,image/gif,image/webp"
              required
              {...fieldAria(error, 'file', 'emoji-file')}
            />
            <FieldError error={error} field="file" idBase="emoji-file" />
          </div>
        </div>
        {error?.field === null && (
          <p className="field-error" role="alert">
            {error.message}
          </p>
        )}
        <button className="btn" type="submit" disabled={busy}>
          {busy ? t('adding') : t('add')}
        </button>
      </form>
      <p className="row-sub" role="status" aria-live="polite">
        {note}
      </p>
      {list.length === 0 ? (
        <p className="row-sub">{t('none')}</p>
      ) : (
        <ul className="list" aria-label={t('title')}>
          {list.map((e) => (
            <li key={e.name} className="row">
              <CustomEmojiImg emoji={e} size={28} />
              <span className="row-main">
                <span className="row-title">:{e.name}:</span>
              </span>
              {(me.isAdmin || e.createdBy === me.id) && (
                <button type="button" className="btn btn-sm btn-ghost" onClick={() => void remove(e.name)}>
                  {t('delete', { name: e.name })}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
