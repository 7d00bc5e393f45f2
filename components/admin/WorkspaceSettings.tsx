'use client';

import { useEffect, useState, type FormEvent } from 'react';
import { api } from '@/lib/client/api';
import { AppError } from '@/lib/errors';
import { FieldError, fieldAria } from '@/components/ui/FieldError';
import { uploadMultipart } from '@/lib/client/upload';
import type { ChannelDto } from '@/lib/validation/dto';

interface Settings {
  siteName: string;
  channelCreation: 'everyone' | 'admins';
  defaultChannelIds: string[];
  maxUploadMB: number;
  retentionDays: number | null;
  iconId: string | null;
}

/**
 * The console's workspace settings: the site's name (page titles, the installed app, the sidebar), who may create
 * channels, the channels every new account joins, the largest upload and how long messages are kept. People see a change at their next load.
 */
export function WorkspaceSettings() {
  const [s, setS] = useState<Settings | null>(null);
  const [channels, setChannels] = useState<ChannelDto[]>([]);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<{ field: string; message: string } | null>(null);

  useEffect(() => {
    api<{ settings: Settings }>('/admin/settings').then((r) => setS(r.settings), () => setNote('Could not load the settings'));
    api<{ channels: ChannelDto[] }>('/channels?limit=100').then((r) => setChannels(r.channels.filter((c) => !c.private && !c.archived && c.title !== 'general')), () => {});
  }, []);

  async function save(patch: Partial<Settings>, done: string) {
    setBusy(true);
    setFieldError(null);
    // Shown at once (a checkbox ticks when clicked); what the server answers replaces it, a refusal puts it back.
    const previous = s;
    setS((cur) => (cur ? { ...cur, ...patch } : cur));
    try {
      setS((await api<{ settings: Settings }>('/admin/settings', { method: 'PATCH', body: patch })).settings);
      setNote(`${done}. People see it when they next open ${patch.siteName ?? s?.siteName ?? 'the app'}.`);
    } catch (e) {
      const err = e instanceof AppError ? e : null;
      const field = String(err?.issues?.[0]?.path?.[0] ?? '');
      setS(previous);
      if (field) setFieldError({ field, message: err?.issues?.[0]?.message ?? err?.message ?? 'Not valid' });
      setNote(err?.message ?? 'Could not save');
    } finally {
      setBusy(false);
    }
  }

  /** The site's icon: uploaded as soon as it is chosen (the server cuts it to a square), or removed. */
  async function changeIcon(file: File | null) {
    setBusy(true);
    setFieldError(null);
    setNote(file ? 'Uploading the icon…' : null);
    try {
      const settings = file
        ? await uploadMultipart<Settings>({ path: '/api/v1/admin/site-icon', file, key: 'settings' }).promise
        : (await api<{ settings: Settings }>('/admin/site-icon', { method: 'DELETE' })).settings;
      setS(settings);
      setNote(file ? 'Icon saved. The installed app and the tab show it at their next load.' : 'Back to the Chattrix icon');
    } catch (e) {
      const message = e instanceof AppError ? e.message : 'Could not save the icon';
      setFieldError({ field: 'icon', message });
      setNote(message);
    } finally {
      setBusy(false);
    }
  }

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const retention = String(f.get('retentionDays') ?? '').trim();
    void save({ siteName: String(f.get('siteName') ?? '').trim(), maxUploadMB: Number(f.get('maxUploadMB')), retentionDays: retention ? Number(retention) : null }, 'Saved');
  }

  return (
    <section className="card" aria-labelledby="workspace-settings" aria-busy={busy}>
      <h2 id="workspace-settings">Workspace</h2>
      {s ? (
        <>
          <form onSubmit={submit} className="form-stack" aria-label="Site name, upload limit and message retention">
            <label htmlFor="ws-siteName">Site name</label>
            <input
              id="ws-siteName"
              name="siteName"
              defaultValue={s.siteName}
              required
              maxLength={60}
              {...fieldAria(fieldError, 'siteName', 'ws-siteName', 'ws-siteName-hint')}
            />
            <span className="row-sub" id="ws-siteName-hint">
              Page titles, the installed app&apos;s name and the top of the sidebar.
            </span>
            <FieldError error={fieldError} field="siteName" idBase="ws-siteName" />
            <label htmlFor="ws-maxUploadMB">Largest upload (MB)</label>
            <input
              id="ws-maxUploadMB"
              name="maxUploadMB"
              type="number"
              min={1}
              max={1024}
              defaultValue={s.maxUploadMB}
              required
              {...fieldAria(fieldError, 'maxUploadMB', 'ws-maxUploadMB')}
            />
            <FieldError error={fieldError} field="maxUploadMB" idBase="ws-maxUploadMB" />
            <label htmlFor="ws-retentionDays">Delete messages older than (days)</label>
            <input
              id="ws-retentionDays"
              name="retentionDays"
              type="number"
              min={1}
              max={36500}
              placeholder="Keep all"
              defaultValue={s.retentionDays ?? ''}
              {...fieldAria(fieldError, 'retentionDays', 'ws-retentionDays', 'ws-retentionDays-hint')}
            />
            <span className="row-sub" id="ws-retentionDays-hint">
              Empty keeps every message. Older messages and their files are deleted for good, hourly; a channel&apos;s
              settings can keep its own period.
            </span>
            <FieldError error={fieldError} field="retentionDays" idBase="ws-retentionDays" />
            <div>
              <button className="btn btn-sm" type="submit" disabled={busy}>
                {busy ? 'Saving…' : 'Save'}
              </button>
            </div>
          </form>
          <div className="form-stack site-icon-field">
            <label htmlFor="ws-icon">Site icon</label>
            <div className="inline wrap">
              {/* The 192 px icon the manifest uses; without one, Chattrix's. */}
              <img
                className="site-icon-preview"
                src={s.iconId ? `/api/v1/site/icon/192?v=${s.iconId.slice(-8)}` : '/icons/icon-192.png'}
                alt={s.iconId ? "The site's icon" : 'The Chattrix icon (the site has none of its own)'}
                width={48}
                height={48}
              />
              <input
                id="ws-icon"
                type="file"
                accept="image/png,image/jpeg,image/webp"
                disabled={busy}
                onChange={(e) => {
                  const file = e.currentTarget.files?.[0] ?? null;
                  e.currentTarget.value = '';
                  if (file) void changeIcon(file);
                }}
                {...fieldAria(fieldError, 'icon', 'ws-icon', 'ws-icon-hint')}
              />
              {s.iconId && (
                <button className="btn btn-sm btn-ghost" type="button" disabled={busy} onClick={() => void changeIcon(null)}>
                  Remove icon
                </button>
              )}
            </div>
            <span className="row-sub" id="ws-icon-hint">
              A square PNG, JPEG or WebP up to 2 MB, 512 px or more: the installed app, home screens and the browser tab.
            </span>
            <FieldError error={fieldError} field="icon" idBase="ws-icon" />
          </div>
          <div className="form-stack">
          <label htmlFor="ws-channelCreation">Who may create channels</label>
          <select
            id="ws-channelCreation"
            value={s.channelCreation}
            disabled={busy}
            onChange={(e) => void save({ channelCreation: e.target.value as Settings['channelCreation'] }, 'Channel creation saved')}
          >
            <option value="everyone">Everyone</option>
            <option value="admins">Admins only</option>
          </select>
          </div>
          <fieldset className="default-channels">
            <legend>Channels new people join</legend>
            <p className="row-sub">Besides #general. Only public channels that are not archived can be chosen.</p>
            {channels.length === 0 ? (
              <p className="row-sub">No public channels yet.</p>
            ) : (
              <ul className="list" aria-label="Default channels">
                {channels.map((c) => {
                  const on = s.defaultChannelIds.includes(c.id);
                  return (
                    <li key={c.id} className="row">
                      <label className="row-flex">
                        <input
                          type="checkbox"
                          checked={on}
                          onChange={() =>
                            void save(
                              { defaultChannelIds: on ? s.defaultChannelIds.filter((x) => x !== c.id) : [...s.defaultChannelIds, c.id] },
                              on ? `#${c.title} is no longer a default channel` : `New people will join #${c.title}`,
                            )
                          }
                        />
                        #{c.title}
                      </label>
                    </li>
                  );
                })}
              </ul>
            )}
          </fieldset>
        </>
      ) : (
        <p className="row-sub">Loading…</p>
      )}
      <p className="row-sub" role="status" aria-live="polite">
        {note}
      </p>
    </section>
  );
}
