'use client';

import { ArrowLeft, Lock } from 'lucide-react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '@/lib/client/api';
import { AppError } from '@/lib/errors';
import type { ChannelDto, ConversationDto } from '@/lib/validation/dto';
import { useChatActions } from './ChatProvider';
import { CreateChannelDialog, useOpenedOnce } from './lazy';
import { useCanCreateChannel } from './Site';
import { useTranslations } from 'next-intl';
import { useFormat } from '@/components/i18n/useFormat';
import { FormError } from '@/components/ui/FieldError';

/** The channel browser: search by name or topic, member count, last activity, joined or not, Join. */
export function ChannelBrowser() {
  const router = useRouter();
  const { upsertConversation } = useChatActions();
  const [q, setQ] = useState('');
  const [channels, setChannels] = useState<ChannelDto[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const creatingMounted = useOpenedOnce(creating);
  const canCreate = useCanCreateChannel();
  const seq = useRef(0);
  const t = useTranslations('channelBrowser');
  const f = useFormat();
  const loadError = t('loadError');

  const load = useCallback(async (query: string, after: string | null) => {
    const mine = ++seq.current;
    setLoading(true);
    try {
      const r = await api<{ channels: ChannelDto[]; nextCursor: string | null }>(
        `/channels?limit=50${query ? `&q=${encodeURIComponent(query)}` : ''}${after ? `&cursor=${after}` : ''}`,
      );
      if (mine !== seq.current) return;
      setChannels((cur) => (after ? [...(cur ?? []), ...r.channels] : r.channels));
      setCursor(r.nextCursor);
      setError(null);
    } catch (e) {
      if (mine === seq.current) setError(e instanceof AppError ? e.message : loadError);
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, [loadError]);

  useEffect(() => {
    const timer = setTimeout(() => void load(q.trim(), null), 200);
    return () => clearTimeout(timer);
  }, [q, load]);

  async function join(c: ChannelDto) {
    try {
      const { conversation } = await api<{ conversation: ConversationDto }>(`/conversations/${c.id}/join`, { method: 'POST' });
      upsertConversation(conversation);
      setChannels((list) => list?.map((x) => (x.id === c.id ? { ...x, joined: true, memberCount: x.memberCount + 1 } : x)) ?? null);
      router.push(`/c/${c.id}`);
    } catch (e) {
      setError(e instanceof AppError ? e.message : t('joinError'));
    }
  }

  return (
    <div className="page-scroll">
      <header className="pane-head">
        <a className="icon-btn back-btn" href="/" aria-label={t('back')}>
          <ArrowLeft size={18} aria-hidden="true" />
        </a>
        <h1 className="grow">{t('title')}</h1>
        {canCreate && (
          <button type="button" className="btn btn-sm" onClick={() => setCreating(true)}>
            {t('create')}
          </button>
        )}
      </header>
      <div className="pad browser">
        <label htmlFor="channel-search" className="sr-only">
          {t('search')}
        </label>
        <input id="channel-search" type="search" placeholder={t('searchPlaceholder')} value={q} onChange={(e) => setQ(e.target.value)} autoComplete="off" />
        <FormError message={error} />
        {channels === null ? (
          <p className="row-sub" role="status">
            {t('loading')}
          </p>
        ) : channels.length === 0 ? (
          <p className="row-sub" role="status">
            {q ? t('noMatch') : t('none')}
          </p>
        ) : (
          <ul className="list channel-list" aria-label={t('title')}>
            {channels.map((c) => (
              <li key={c.id} className="channel-card" data-testid="channel-card">
                <Link href={`/c/${c.id}`} className="channel-link">
                  <span className="row-title">
                    <span className="ellipsis">
                      {c.private ? <Lock size={14} aria-label={t('private')} /> : '# '}
                      {c.title}
                    </span>
                    {c.archived && <span className="role">{t('archived')}</span>}
                  </span>
                  {c.topic && <span className="row-sub ellipsis">{c.topic}</span>}
                  <span className="row-sub">
                    {t('members', { count: c.memberCount })} · {t('active', { when: f.relativeTime(c.lastActivityAt) })}
                  </span>
                </Link>
                {c.joined ? (
                  <span className="joined-mark">{t('joined')}</span>
                ) : !c.archived ? (
                  <button type="button" className="btn btn-sm" aria-label={t('joinName', { name: c.title ?? '' })} onClick={() => void join(c)}>
                    {t('join')}
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
        )}
        {cursor && (
          <button type="button" className="btn btn-ghost" disabled={loading} onClick={() => void load(q.trim(), cursor)}>
            {loading ? t('loadingShort') : t('more')}
          </button>
        )}
      </div>
      {creatingMounted && <CreateChannelDialog open={creating} onClose={() => setCreating(false)} />}
    </div>
  );
}
