'use client';

import { useTranslations } from 'next-intl';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api } from '@/lib/client/api';
import { AppError } from '@/lib/errors';
import type { CommandDto } from '@/lib/validation/commands';
import { FormError } from '@/components/ui/FieldError';

/** Admin console → Slash commands: register `/name` with a URL, a description and a usage hint; see its signing secret. */
export function CommandsAdmin() {
  const t = useTranslations('admin.commands');
  const [commands, setCommands] = useState<CommandDto[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const load = useCallback(async () => setCommands((await api<{ commands: CommandDto[] }>('/admin/commands')).commands), []);
  useEffect(() => {
    void load().catch(() => setCommands([]));
  }, [load]);

  async function run(fn: () => Promise<void>, done: string) {
    setError(null);
    setNotice(null);
    try {
      await fn();
      setNotice(done);
    } catch (e) {
      setError(e instanceof AppError ? (e.issues?.[0]?.message ?? e.message) : t('somethingWrong'));
    }
  }

  function create(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    void run(async () => {
      await api('/admin/commands', {
        method: 'POST',
        body: { name: f.get('name'), url: f.get('url'), description: f.get('description') ?? '', usageHint: f.get('usageHint') ?? '' },
      });
      form.reset();
      await load();
    }, t('registered'));
  }

  return (
    <section className="card" aria-labelledby="commands-title">
      <h2 id="commands-title">{t('title')}</h2>
      <p className="row-sub">
        {t.rich('intro', {
          payload: '{command, text, user, conversation, thread?, responseUrl, triggerId}',
          answer: '{text, responseType}',
          code: (chunks) => <code>{chunks}</code>,
        })}
      </p>
      <FormError message={error} />
      {notice && <p role="status">{notice}</p>}
      <form onSubmit={create} aria-label={t('registerLabel')}>
        <div className="inline wrap">
          <div className="field grow">
            <label htmlFor="cmd-name">{t('name')}</label>
            <input id="cmd-name" name="name" required maxLength={32} pattern="/?[A-Za-z0-9][A-Za-z0-9_-]*" autoComplete="off" />
          </div>
          <div className="field grow">
            <label htmlFor="cmd-url">URL</label>
            <input id="cmd-url" name="url" type="url" required maxLength={500} autoComplete="off" />
          </div>
        </div>
        <div className="inline wrap">
          <div className="field grow">
            <label htmlFor="cmd-description">{t('description')}</label>
            <input id="cmd-description" name="description" maxLength={200} autoComplete="off" />
          </div>
          <div className="field grow">
            <label htmlFor="cmd-hint">{t('hint')}</label>
            <input id="cmd-hint" name="usageHint" maxLength={100} placeholder="[environment]" autoComplete="off" />
          </div>
        </div>
        <button className="btn btn-sm" type="submit">
          {t('register')}
        </button>
      </form>
      <ul className="list" aria-label={t('title')}>
        {commands.map((c) => (
          <li key={c.id} className="row">
            <div className="row-main">
              <span className="row-title">
                /{c.name} <span className="muted-mark">{c.usageHint}</span>
              </span>
              <span className="row-sub">
                {c.description || t('noDescription')} · {c.url} · {t('postsAs', { username: c.bot?.username ?? '?' })}
              </span>
              <details>
                <summary>{t('secretOf', { name: c.name })}</summary>
                <code>{c.signingSecret}</code>
              </details>
            </div>
            <div className="row-flex">
              <button className="btn btn-sm btn-ghost" type="button" onClick={() => void run(async () => {
                await api(`/admin/commands/${c.id}`, { method: 'PATCH', body: { regenerateSecret: true } });
                await load();
              }, t('newSecretDone'))}>
                {t('newSecret', { name: c.name })}
              </button>
              <button className="btn btn-sm btn-danger" type="button" onClick={() => void run(async () => {
                if (!window.confirm(t('confirmRemove', { name: c.name }))) return;
                await api(`/admin/commands/${c.id}`, { method: 'DELETE' });
                await load();
              }, t('removed'))}>
                {t('remove', { name: c.name })}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
