'use client';

import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api } from '@/lib/client/api';
import { AppError } from '@/lib/errors';
import type { CommandDto } from '@/lib/validation/commands';
import { FormError } from '@/components/ui/FieldError';

/** Admin console → Slash commands: register `/name` with a URL, a description and a usage hint; see its signing secret. */
export function CommandsAdmin() {
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
      setError(e instanceof AppError ? (e.issues?.[0]?.message ?? e.message) : 'Something went wrong');
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
    }, 'Command registered');
  }

  return (
    <section className="card" aria-labelledby="commands-title">
      <h2 id="commands-title">Slash commands</h2>
      <p className="row-sub">
        Each use POSTs <code>{'{command, text, user, conversation, thread?, responseUrl, triggerId}'}</code> to the URL, signed with the
        command&apos;s secret (<code>Chattrix-Signature</code>); the answer <code>{'{text, responseType}'}</code> is shown to the person or
        posted as the command&apos;s bot.
      </p>
      <FormError message={error} />
      {notice && <p role="status">{notice}</p>}
      <form onSubmit={create} aria-label="Register a slash command">
        <div className="inline wrap">
          <div className="field grow">
            <label htmlFor="cmd-name">Command name (without /)</label>
            <input id="cmd-name" name="name" required maxLength={32} pattern="/?[A-Za-z0-9][A-Za-z0-9_-]*" autoComplete="off" />
          </div>
          <div className="field grow">
            <label htmlFor="cmd-url">URL</label>
            <input id="cmd-url" name="url" type="url" required maxLength={500} autoComplete="off" />
          </div>
        </div>
        <div className="inline wrap">
          <div className="field grow">
            <label htmlFor="cmd-description">Description</label>
            <input id="cmd-description" name="description" maxLength={200} autoComplete="off" />
          </div>
          <div className="field grow">
            <label htmlFor="cmd-hint">Usage hint</label>
            <input id="cmd-hint" name="usageHint" maxLength={100} placeholder="[environment]" autoComplete="off" />
          </div>
        </div>
        <button className="btn btn-sm" type="submit">
          Register command
        </button>
      </form>
      <ul className="list" aria-label="Slash commands">
        {commands.map((c) => (
          <li key={c.id} className="row">
            <div className="row-main">
              <span className="row-title">
                /{c.name} <span className="muted-mark">{c.usageHint}</span>
              </span>
              <span className="row-sub">
                {c.description || 'No description'} · {c.url} · posts as @{c.bot?.username ?? '?'}
              </span>
              <details>
                <summary>Signing secret of /{c.name}</summary>
                <code>{c.signingSecret}</code>
              </details>
            </div>
            <div className="row-flex">
              <button className="btn btn-sm btn-ghost" type="button" onClick={() => void run(async () => {
                await api(`/admin/commands/${c.id}`, { method: 'PATCH', body: { regenerateSecret: true } });
                await load();
              }, 'New signing secret')}>
                New secret for /{c.name}
              </button>
              <button className="btn btn-sm btn-danger" type="button" onClick={() => void run(async () => {
                if (!window.confirm(`Remove /${c.name}?`)) return;
                await api(`/admin/commands/${c.id}`, { method: 'DELETE' });
                await load();
              }, 'Command removed')}>
                Remove /{c.name}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
