'use client';

import { useTranslations } from 'next-intl';
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
  const t = useTranslations('admin.workspace');
  const loadError = t('loadError');
  const [s, setS] = useState<Settings | null>(null);
  const [channels, setChannels] = useState<ChannelDto[]>([]);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<{ field: string; message: string } | null>(null);

  useEffect(() => {
    api<{ settings: Settings }>('/admin/settings').then((r) => setS(r.settings), () => setNote(loadError));
    api<{ channels: ChannelDto[] }>('/channels?limit=100').then((r) => setChannels(r.channels.filter((c) => !c.private && !c.archived && c.title !== 'general')), () => {});
  }, [loadError]);

  async function save(patch: Partial<Settings>, done: string) {
    setBusy(true);
    setFieldError(null);
    // Shown at once (a checkbox ticks when clicked); what the server answers replaces it, a refusal puts it back.
    const previous = s;
    setS((cur) => (cur ? { ...cur, ...patch } : cur));
    try {
      setS((await api<{ settings: Settings }>('/admin/settings', { method: 'PATCH', body: patch })).settings);
      setNote(t('savedNote', { done, app: patch.siteName ?? s?.siteName ?? t('theApp') }));
    } catch (e) {
      const err = e instanceof AppError ? e : null;
      const field = String(err?.issues?.[0]?.path?.[0] ?? '');
      setS(previous);
      if (field) setFieldError({ field, message: err?.issues?.[0]?.message ?? err?.message ?? t('notValid') });
      setNote(err?.message ?? t('saveFailed'));
    } finally {
      setBusy(false);
    }
  }

  /** The site's icon: uploaded as soon as it is chosen (the server cuts it to a square), or removed. */
  async function changeIcon(file: File | null) {
    setBusy(true);
    setFieldError(null);
    setNote(file ? t('uploadingIcon') : null);
    try {
      const settings = file
        ? await uploadMultipart<Settings>({ path: '/api/v1/admin/site-icon', file, key: 'settings' }).promise
        : (await api<{ settings: Settings }>('/admin/site-icon', { method: 'DELETE' })).settings;
      setS(settings);
      setNote(file ? t('iconSaved') : t('iconRemoved'));
    } catch (e) {
      const message = e instanceof AppError ? e.message : t('iconFailed');
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
    void save({ siteName: String(f.get('siteName') ?? '').trim(), maxUploadMB: Number(f.get('maxUploadMB')), retentionDays: retention ? Number(retention) : null }, t('saved'));
  }

  return (
    <section className="card" aria-labelledby="workspace-settings" aria-busy={busy}>
      <h2 id="workspace-settings">{t('title')}</h2>
      {s ? (
        <>
          <form onSubmit={submit} className="form-stack" aria-label={t('formLabel')}>
            <label htmlFor="ws-siteName">{t('siteName')}</label>
            <input
              id="ws-siteName"
              name="siteName"
              defaultValue={s.siteName}
              required
              maxLength={60}
              {...fieldAria(fieldError, 'siteName', 'ws-siteName', 'ws-siteName-hint')}
            />
            <span className="row-sub" id="ws-siteName-hint">
              {t('siteNameHint')}
            </span>
            <FieldError error={fieldError} field="siteName" idBase="ws-siteName" />
            <label htmlFor="ws-maxUploadMB">{t('maxUpload')}</label>
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
            <label htmlFor="ws-retentionDays">{t('retention')}</label>
            <input
              id="ws-retentionDays"
              name="retentionDays"
              type="number"
              min={1}
              max={36500}
              placeholder={t('keepAll')}
              defaultValue={s.retentionDays ?? ''}
              {...fieldAria(fieldError, 'retentionDays', 'ws-retentionDays', 'ws-retentionDays-hint')}
            />
            <span className="row-sub" id="ws-retentionDays-hint">
              {t('retentionHint')}
            </span>
            <FieldError error={fieldError} field="retentionDays" idBase="ws-retentionDays" />
            <div>
              <button className="btn btn-sm" type="submit" disabled={busy}>
                {busy ? t('saving') : t('save')}
              </button>
            </div>
          </form>
          <div className="form-stack site-icon-field">
            <label htmlFor="ws-icon">{t('icon')}</label>
            <div className="inline wrap">
              {/* The 192 px icon the manifest uses; without one, Chattrix's. */}
              <img
                className="site-icon-preview"
                src={s.iconId ? `/api/v1/site/icon/192?v=${s.iconId.slice(-8)}` : '/icons/icon-192.png'}
                alt={s.iconId ? t('iconAlt') : t('defaultIconAlt')}
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
                  {t('removeIcon')}
                </button>
              )}
            </div>
            <span className="row-sub" id="ws-icon-hint">
              {t('iconHint')}
            </span>
            <FieldError error={fieldError} field="icon" idBase="ws-icon" />
          </div>
          <div className="form-stack">
          <label htmlFor="ws-channelCreation">{t('channelCreation')}</label>
          <select
            id="ws-channelCreation"
            value={s.channelCreation}
            disabled={busy}
            onChange={(e) => void save({ channelCreation: e.target.value as Settings['channelCreation'] }, t('channelCreationSaved'))}
          >
            <option value="everyone">{t('everyone')}</option>
            <option value="admins">{t('adminsOnly')}</option>
          </select>
          </div>
          <fieldset className="default-channels">
            <legend>{t('defaultChannels')}</legend>
            <p className="row-sub">{t('defaultChannelsHint')}</p>
            {channels.length === 0 ? (
              <p className="row-sub">{t('noChannels')}</p>
            ) : (
              <ul className="list" aria-label={t('defaultChannelsLabel')}>
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
                              on ? t('noLongerDefault', { name: c.title ?? '' }) : t('nowDefault', { name: c.title ?? '' }),
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
        <p className="row-sub">{t('loading')}</p>
      )}
      <p className="row-sub" role="status" aria-live="polite">
        {note}
      </p>
    </section>
  );
}
