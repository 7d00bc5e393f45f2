'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { useFormat } from '@/components/i18n/useFormat';
import { useChat, useChatActions } from '@/components/chat/ChatProvider';
import { api } from '@/lib/client/api';
import { AppError } from '@/lib/errors';
import type { DndStateDto, StatusDto } from '@/lib/validation/attention';

/** When a status clears: computed here, in the person's own time zone ("today" ends at their midnight). */
export const clearChoices = ['never', '30m', '1h', 'today', 'week'] as const;
export type ClearChoice = (typeof clearChoices)[number];

export function clearAtFor(choice: ClearChoice, now = new Date()): string | null {
  const d = new Date(now);
  switch (choice) {
    case 'never':
      return null;
    case '30m':
      return new Date(now.getTime() + 30 * 60_000).toISOString();
    case '1h':
      return new Date(now.getTime() + 3600_000).toISOString();
    case 'today':
      d.setHours(24, 0, 0, 0);
      return d.toISOString();
    case 'week': {
      // The end of Sunday (weeks end on Sunday night).
      const daysLeft = (7 - d.getDay()) % 7;
      d.setDate(d.getDate() + daysLeft);
      d.setHours(24, 0, 0, 0);
      return d.toISOString();
    }
  }
}

const dndChoices = [
  { value: '', key: 'off' },
  { value: '30', key: 'm30' },
  { value: '60', key: 'h1' },
  { value: '240', key: 'h4' },
  { value: 'tomorrow', key: 'tomorrow' },
] as const;

function message(e: unknown, fallback: string): string {
  return e instanceof AppError ? (e.issues?.[0]?.message ?? e.message) : fallback;
}

function useRun() {
  const tc = useTranslations('common');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const run = async (fn: () => Promise<string>) => {
    setError(null);
    setNotice(null);
    try {
      setNotice(await fn());
    } catch (e) {
      setError(message(e, tc('somethingWrong')));
    }
  };
  return { error, notice, run };
}

function Feedback({ error, notice, id }: { error: string | null; notice: string | null; id: string }) {
  return (
    <>
      {error && (
        <p className="field-error" role="alert" id={`${id}-error`}>
          {error}
        </p>
      )}
      <p className="hint" role="status" aria-live="polite">
        {notice ?? ''}
      </p>
    </>
  );
}

function StatusSection() {
  const me = useChat((s) => s.me);
  const { store } = useChatActions();
  const [emoji, setEmoji] = useState(me.status?.emoji ?? '');
  const [text, setText] = useState(me.status?.text ?? '');
  const [clear, setClear] = useState<ClearChoice>('never');
  const { error, notice, run } = useRun();
  const t = useTranslations('attention.status');
  const save = (body: { emoji?: string | null; text?: string | null; clearAt?: string | null }) =>
    run(async () => {
      const { status } = await api<{ status: StatusDto | null }>('/me/status', { method: 'PUT', body });
      store.set((s) => ({ me: { ...s.me, status } }));
      if (!status) {
        setEmoji('');
        setText('');
      }
      return status ? t('set') : t('cleared');
    });
  return (
    <section className="card" aria-labelledby="status-title">
      <h2 id="status-title">{t('title')}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save({ emoji: emoji.trim() || null, text: text.trim() || null, clearAt: clearAtFor(clear) });
        }}
      >
        <div className="inline status-fields">
          <div className="field status-emoji-field">
            <label htmlFor="status-emoji">{t('emoji')}</label>
            <input id="status-emoji" value={emoji} maxLength={32} onChange={(e) => setEmoji(e.target.value)} placeholder="🌴" />
          </div>
          <div className="field grow">
            <label htmlFor="status-text">{t('text')}</label>
            <input id="status-text" value={text} maxLength={100} onChange={(e) => setText(e.target.value)} placeholder={t('textPlaceholder')} aria-describedby="status-count" />
            <span id="status-count" className="hint">
              {text.length}/100
            </span>
          </div>
        </div>
        <div className="field">
          <label htmlFor="status-clear">{t('clearAfter')}</label>
          <select id="status-clear" value={clear} onChange={(e) => setClear(e.target.value as ClearChoice)}>
            {clearChoices.map((c) => (
              <option key={c} value={c}>
                {t(`clear.${c}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="inline">
          <button type="submit" className="btn btn-primary">
            {t('submit')}
          </button>
          <button type="button" className="btn btn-ghost" onClick={() => void save({})}>
            {t('clearNow')}
          </button>
        </div>
        <Feedback error={error} notice={notice} id="status" />
      </form>
    </section>
  );
}

function DndSection() {
  const me = useChat((s) => s.me);
  const { store } = useChatActions();
  const [choice, setChoice] = useState('');
  const [scheduleOn, setScheduleOn] = useState(!!me.dndState?.schedule);
  const [start, setStart] = useState(me.dndState?.schedule?.start ?? '22:00');
  const [end, setEnd] = useState(me.dndState?.schedule?.end ?? '08:00');
  const timeZone = me.dndState?.schedule?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const { error, notice, run } = useRun();
  const t = useTranslations('attention.dnd');
  const f = useFormat();
  const dnd = me.dndState;
  const untilFor = (c: string): string | null => {
    if (!c) return null;
    if (c === 'tomorrow') {
      const d = new Date();
      d.setDate(d.getDate() + 1);
      d.setHours(8, 0, 0, 0);
      return d.toISOString();
    }
    return new Date(Date.now() + Number(c) * 60_000).toISOString();
  };
  return (
    <section className="card" aria-labelledby="dnd-title">
      <h2 id="dnd-title">{t('title')}</h2>
      <p className="row-sub" data-testid="dnd-state">
        {dnd?.active ? (dnd.endsAt ? t('onUntil', { when: f.dateTime(dnd.endsAt) }) : t('on')) : t('off')}
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            const body = { until: untilFor(choice), schedule: scheduleOn ? { start, end, timeZone } : null };
            const { dnd: next } = await api<{ dnd: DndStateDto }>('/me/dnd', { method: 'PUT', body });
            store.set((s) => ({ me: { ...s.me, dndState: next, dnd: next.active } }));
            return next.active ? t('isOn') : t('saved');
          });
        }}
      >
        <div className="field">
          <label htmlFor="dnd-for">{t('pause')}</label>
          <select id="dnd-for" value={choice} onChange={(e) => setChoice(e.target.value)}>
            {dndChoices.map((c) => (
              <option key={c.value} value={c.value}>
                {t(`choices.${c.key}`)}
              </option>
            ))}
          </select>
        </div>
        <label className="switch">
          <input type="checkbox" checked={scheduleOn} onChange={(e) => setScheduleOn(e.target.checked)} /> {t('everyDay')}
        </label>
        {scheduleOn && (
          <div className="inline">
            <div className="field">
              <label htmlFor="dnd-start">{t('from')}</label>
              <input id="dnd-start" type="time" value={start} onChange={(e) => setStart(e.target.value)} required />
            </div>
            <div className="field">
              <label htmlFor="dnd-end">{t('to')}</label>
              <input id="dnd-end" type="time" value={end} onChange={(e) => setEnd(e.target.value)} required />
            </div>
            <span className="hint">{timeZone}</span>
          </div>
        )}
        <button type="submit" className="btn btn-primary">
          {t('submit')}
        </button>
        <Feedback error={error} notice={notice} id="dnd" />
      </form>
    </section>
  );
}

function KeywordsSection() {
  const me = useChat((s) => s.me);
  const { store } = useChatActions();
  const [value, setValue] = useState((me.keywords ?? []).join(', '));
  const { error, notice, run } = useRun();
  const t = useTranslations('attention.keywords');
  return (
    <section className="card" aria-labelledby="keywords-title">
      <h2 id="keywords-title">{t('title')}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            const list = value.split(',').map((k) => k.trim()).filter(Boolean);
            const { keywords } = await api<{ keywords: string[] }>('/me/keywords', { method: 'PUT', body: { keywords: list } });
            store.set((s) => ({ me: { ...s.me, keywords } }));
            setValue(keywords.join(', '));
            return t('saved');
          });
        }}
      >
        <div className="field">
          <label htmlFor="keywords">{t('label')}</label>
          <input id="keywords" value={value} onChange={(e) => setValue(e.target.value)} placeholder={t('placeholder')} aria-describedby="keywords-hint" />
          <span id="keywords-hint" className="hint">
            {t('hint')}
          </span>
        </div>
        <button type="submit" className="btn btn-primary">
          {t('submit')}
        </button>
        <Feedback error={error} notice={notice} id="keywords" />
      </form>
    </section>
  );
}

/** Settings: status, do not disturb and keywords (REST: PUT /me/status, /me/dnd, /me/keywords). */
export function AttentionSettings() {
  return (
    <>
      <StatusSection />
      <DndSection />
      <KeywordsSection />
    </>
  );
}
