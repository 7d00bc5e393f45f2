'use client';

import { ArrowLeft } from 'lucide-react';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useState } from 'react';
import { api } from '@/lib/client/api';
import { useConversationTitle } from './useConversationTitle';
import type { MessageDto } from '@/lib/validation/dto';
import { useChat } from './ChatProvider';
import { useTranslations } from 'next-intl';
import { useFormat } from '@/components/i18n/useFormat';

interface Result {
  message: MessageDto;
  conversationId: string;
  snippet: { text: string; hit: boolean }[];
}

/** Full-text search over every conversation you are in; a result opens the conversation at that message. */
export function SearchView() {
  const params = useSearchParams();
  const router = useRouter();
  const conversations = useChat((s) => s.conversations);
  const [q, setQ] = useState(params.get('q') ?? '');
  const [conversationId, setConversationId] = useState(params.get('conversationId') ?? '');
  const [senderId, setSenderId] = useState(params.get('senderId') ?? '');
  const [results, setResults] = useState<Result[] | null>(null);
  const [busy, setBusy] = useState(false);
  const t = useTranslations('search');
  const conversationOf = useConversationTitle();
  const f = useFormat();

  const people = new Map<string, string>();
  for (const c of conversations ?? []) for (const m of c.members) people.set(m.id, m.displayName);

  useEffect(() => {
    const query = q.trim();
    if (!query) {
      setResults(null);
      return;
    }
    const ctrl = new AbortController();
    const timer = setTimeout(() => {
      setBusy(true);
      const sp = new URLSearchParams({ q: query });
      if (conversationId) sp.set('conversationId', conversationId);
      if (senderId) sp.set('senderId', senderId);
      router.replace(`/search?${sp.toString()}`, { scroll: false });
      api<{ results: Result[] }>(`/search?${sp.toString()}`, { signal: ctrl.signal })
        .then((r) => setResults(r.results))
        .catch(() => {})
        .finally(() => setBusy(false));
    }, 250);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [q, conversationId, senderId, router]);

  const titleOf = (id: string) => {
    const c = conversations?.find((x) => x.id === id);
    return c ? conversationOf(c) : t('conversation');
  };

  return (
    <>
      <header className="pane-head">
        <a className="icon-btn back-btn" href="/" aria-label={t('back')}>
          <ArrowLeft size={20} />
        </a>
        <h1>{t('title')}</h1>
      </header>
      <div className="search-page">
        <form className="search-form" role="search" onSubmit={(e) => e.preventDefault()}>
          <div className="field grow">
            <label htmlFor="search-q">{t('label')}</label>
            <input id="search-q" type="search" autoFocus value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('placeholder')} />
          </div>
          <div className="field">
            <label htmlFor="search-conv">{t('in')}</label>
            <select id="search-conv" value={conversationId} onChange={(e) => setConversationId(e.target.value)}>
              <option value="">{t('allConversations')}</option>
              {(conversations ?? []).map((c) => (
                <option key={c.id} value={c.id}>
                  {conversationOf(c)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="search-from">{t('from')}</label>
            <select id="search-from" value={senderId} onChange={(e) => setSenderId(e.target.value)}>
              <option value="">{t('anyone')}</option>
              {[...people].map(([id, name]) => (
                <option key={id} value={id}>
                  {name}
                </option>
              ))}
            </select>
          </div>
        </form>
        <div role="status" className="row-sub">
          {busy ? t('searching') : results ? t('results', { count: results.length }) : ''}
        </div>
        <ul className="list search-results" aria-label={t('resultsLabel')}>
          {results?.map((r) => (
            <li key={r.message.id}>
              <Link className="row" href={`/c/${r.conversationId}?m=${r.message.id}`} data-testid="search-result">
                <span className="row-main">
                  <span className="row-title">
                    <span className="ellipsis">
                      {r.message.sender?.displayName ?? t('someone')} · {titleOf(r.conversationId)}
                    </span>
                    <span className="row-time">{f.shortTime(r.message.createdAt)}</span>
                  </span>
                  <span className="snippet">
                    {r.snippet.map((s, i) => (s.hit ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>))}
                  </span>
                </span>
              </Link>
            </li>
          ))}
        </ul>
      </div>
    </>
  );
}
