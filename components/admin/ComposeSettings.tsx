'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useState } from 'react';
import { api } from '@/lib/client/api';
import { AppError } from '@/lib/errors';

interface Settings {
  linkPreviews: boolean;
  customEmoji: 'admins' | 'everyone';
}

/** The console's composing settings: link previews on or off, and who may add custom emoji. */
export function ComposeSettings() {
  const t = useTranslations('admin.compose');
  const loadError = t('loadError');
  const [s, setS] = useState<Settings | null>(null);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    api<{ settings: Settings }>('/admin/settings').then((r) => setS(r.settings), () => setNote(loadError));
  }, [loadError]);
  async function save(patch: Partial<Settings>) {
    try {
      setS((await api<{ settings: Settings }>('/admin/settings', { method: 'PATCH', body: patch })).settings);
      setNote(t('saved'));
    } catch (e) {
      setNote(e instanceof AppError ? e.message : t('saveFailed'));
    }
  }
  return (
    <section className="card" aria-labelledby="composing-settings">
      <h2 id="composing-settings">{t('title')}</h2>
      {s && (
        <>
          <label className="row-flex">
            <input type="checkbox" checked={s.linkPreviews} onChange={(e) => void save({ linkPreviews: e.target.checked })} />{' '}
            {t.rich('linkPreviews', { code: (chunks) => <code>{chunks}</code> })}
          </label>
          <label htmlFor="custom-emoji-who">{t('emojiWho')}</label>
          <select id="custom-emoji-who" value={s.customEmoji} onChange={(e) => void save({ customEmoji: e.target.value as Settings['customEmoji'] })}>
            <option value="admins">{t('admins')}</option>
            <option value="everyone">{t('everyone')}</option>
          </select>
        </>
      )}
      {note && (
        <p className="row-sub" role="status">
          {note}
        </p>
      )}
    </section>
  );
}
