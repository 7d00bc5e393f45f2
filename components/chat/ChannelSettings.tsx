'use client';

import { NotifySelect } from './NotifySelect';
import { X } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { api } from '@/lib/client/api';
import { AppError } from '@/lib/errors';
import type { ConversationDto } from '@/lib/validation/dto';
import { useChat, useChatActions } from './ChatProvider';
import { OutgoingWebhooks } from './OutgoingWebhooks';
import { useSite } from './Site';
import { MemberList } from './MemberList';
import { WebhooksSettings } from './WebhooksSettings';
import { FormError } from '@/components/ui/FieldError';

/** A channel's settings: name, topic, description, archive (owners/admins), mute, members and roles, leave. */
export function ChannelSettings({ conversation: c, meId, onClose }: { conversation: ConversationDto; meId: string; onClose: () => void }) {
  const router = useRouter();
  const { upsertConversation } = useChatActions();
  const [title, setTitle] = useState(c.title ?? '');
  const [topic, setTopic] = useState(c.topic ?? '');
  const [description, setDescription] = useState(c.description ?? '');
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const t = useTranslations('channelSettings');
  const manage = c.joined !== false && (c.myRole === 'owner' || c.myRole === 'admin');

  async function run(fn: () => Promise<void>) {
    setError(null);
    setSaved(false);
    try {
      await fn();
    } catch (e) {
      setError(e instanceof AppError ? (e.issues?.[0]?.message ?? e.message) : t('somethingWrong'));
    }
  }

  const patch = (body: Record<string, unknown>) =>
    run(async () => {
      const r = await api<{ conversation: ConversationDto }>(`/conversations/${c.id}`, { method: 'PATCH', body });
      upsertConversation(r.conversation);
      setSaved(true);
    });

  function save(e: FormEvent) {
    e.preventDefault();
    void patch({ title, topic, description });
  }

  return (
    <aside className="panel" aria-labelledby="channel-settings-title" data-testid="channel-settings">
      <div className="panel-head">
        <h2 id="channel-settings-title">#{c.title}</h2>
        <button type="button" className="icon-btn" aria-label={t('close')} onClick={onClose}>
          <X size={18} aria-hidden="true" />
        </button>
      </div>
      <FormError message={error} pad />
      {manage ? (
        <form className="pad" onSubmit={save}>
          <div className="field">
            <label htmlFor="channel-name">{t('name')}</label>
            <input id="channel-name" value={title} maxLength={80} required onChange={(e) => setTitle(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="channel-topic">{t('topic')}</label>
            <input id="channel-topic" value={topic} maxLength={250} onChange={(e) => setTopic(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="channel-description">{t('description')}</label>
            <textarea id="channel-description" value={description} maxLength={1000} rows={3} onChange={(e) => setDescription(e.target.value)} />
          </div>
          <div className="inline">
            <button className="btn" type="submit" disabled={!title.trim()}>
              {t('save')}
            </button>
            {saved && (
              <span className="row-sub" role="status">
                {t('saved')}
              </span>
            )}
          </div>
        </form>
      ) : (
        <div className="pad">
          {c.topic && (
            <p>
              <strong>{t('topicLabel')}</strong> {c.topic}
            </p>
          )}
          {c.description && <p className="row-sub">{c.description}</p>}
          {!c.topic && !c.description && <p className="row-sub">{c.private ? t('private') : t('public')}</p>}
        </div>
      )}
      {c.joined !== false && (
        <div className="pad">
          <NotifySelect value={c.notify} onChange={(notify) => void patch({ notify })} />
        </div>
      )}
      {c.joined !== false && <RetentionSetting conversation={c} onSave={(retentionDays) => void patch({ retentionDays })} />}
      {manage && (
        <div className="pad">
          <button type="button" className="btn btn-ghost" onClick={() => void patch({ archived: !c.archived })}>
            {c.archived ? t('unarchive') : t('archive')}
          </button>
        </div>
      )}
      <MemberList conversation={c} meId={meId} manage={manage} run={run} />
      {manage && <WebhooksSettings conversationId={c.id} />}
      {manage && <OutgoingWebhooks scope={{ kind: 'conversation', id: c.id, memberIds: c.members.map((m) => m.id) }} />}
      {c.joined !== false && (
        <div className="pad">
          <button
            type="button"
            className="btn btn-danger"
            onClick={() =>
              void run(async () => {
                if (!window.confirm(t('confirmLeave', { name: c.title ?? '' }))) return;
                await api(`/conversations/${c.id}/leave`, { method: 'POST' });
                router.push('/');
              })
            }
          >
            {t('leave')}
          </button>
        </div>
      )}
    </aside>
  );
}



/**
 * How long the channel keeps messages: said to every member; site admins choose the site's period, all, or a number of
 * days of the channel's own.
 */
function RetentionSetting({ conversation: c, onSave }: { conversation: ConversationDto; onSave: (retentionDays: number | null) => void }) {
  const site = useSite();
  const isAdmin = useChat((s) => s.me.isAdmin);
  const t = useTranslations('channelSettings.retention');
  const days = (n: number) => t('days', { count: n });
  const own = c.retentionDays ?? null;
  const [mode, setMode] = useState<'site' | 'keep' | 'days'>(own === null ? 'site' : own === 0 ? 'keep' : 'days');
  const [count, setCount] = useState(own && own > 0 ? String(own) : '90');
  const effective = own === null ? site.retentionDays : own === 0 ? null : own;
  const said = effective ? t('deletedAfter', { days: days(effective) }) : t('kept');
  if (!isAdmin) return <p className="hint pad">{said}</p>;
  function submit(e: FormEvent) {
    e.preventDefault();
    onSave(mode === 'site' ? null : mode === 'keep' ? 0 : Number(count));
  }
  return (
    <form className="pad" onSubmit={submit} aria-label={t('title')}>
      <div className="field">
        <label htmlFor="channel-retention">{t('title')}</label>
        <select id="channel-retention" value={mode} onChange={(e) => setMode(e.target.value as typeof mode)} aria-describedby="channel-retention-now">
          <option value="site">{t('site', { period: site.retentionDays ? days(site.retentionDays) : t('keepAllShort') })}</option>
          <option value="keep">{t('keepAll')}</option>
          <option value="days">{t('deleteAfter')}</option>
        </select>
      </div>
      {mode === 'days' && (
        <div className="field">
          <label htmlFor="channel-retention-days">{t('daysLabel')}</label>
          <input id="channel-retention-days" type="number" min={1} max={36500} required value={count} onChange={(e) => setCount(e.target.value)} />
        </div>
      )}
      <p className="hint" id="channel-retention-now">
        {said}
      </p>
      <button className="btn" type="submit">
        {t('save')}
      </button>
    </form>
  );
}
