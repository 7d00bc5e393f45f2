'use client';

import { useEffect, useState } from 'react';
import { api } from '@/lib/client/api';
import { AppError } from '@/lib/errors';

interface Settings {
  linkPreviews: boolean;
  customEmoji: 'admins' | 'everyone';
}

/** The console's composing settings: link previews on or off, and who may add custom emoji. */
export function ComposeSettings() {
  const [s, setS] = useState<Settings | null>(null);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    api<{ settings: Settings }>('/admin/settings').then((r) => setS(r.settings), () => setNote('Could not load the settings'));
  }, []);
  async function save(patch: Partial<Settings>) {
    try {
      setS((await api<{ settings: Settings }>('/admin/settings', { method: 'PATCH', body: patch })).settings);
      setNote('Saved');
    } catch (e) {
      setNote(e instanceof AppError ? e.message : 'Could not save');
    }
  }
  return (
    <section className="card" aria-labelledby="composing-settings">
      <h2 id="composing-settings">Messages</h2>
      {s && (
        <>
          <label className="row-flex">
            <input type="checkbox" checked={s.linkPreviews} onChange={(e) => void save({ linkPreviews: e.target.checked })} /> Show link previews (the server fetches the
            first link of a message; <code>LINK_PREVIEWS=off</code> turns them off whatever this says)
          </label>
          <label htmlFor="custom-emoji-who">Who may add custom emoji</label>
          <select id="custom-emoji-who" value={s.customEmoji} onChange={(e) => void save({ customEmoji: e.target.value as Settings['customEmoji'] })}>
            <option value="admins">Admins</option>
            <option value="everyone">Everyone</option>
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
