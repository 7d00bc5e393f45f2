'use client';

import { useState } from 'react';
import { useChat, useChatActions } from '@/components/chat/ChatProvider';
import { api } from '@/lib/client/api';
import { AppError } from '@/lib/errors';
import type { DndStateDto, StatusDto } from '@/lib/validation/attention';

/** When a status clears: computed here, in the person's own time zone ("today" ends at their midnight). */
export const clearChoices = [
  { value: 'never', label: 'Never' },
  { value: '30m', label: 'In 30 minutes' },
  { value: '1h', label: 'In 1 hour' },
  { value: 'today', label: 'Today' },
  { value: 'week', label: 'This week' },
] as const;
export type ClearChoice = (typeof clearChoices)[number]['value'];

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
  { value: '', label: 'Off' },
  { value: '30', label: '30 minutes' },
  { value: '60', label: '1 hour' },
  { value: '240', label: '4 hours' },
  { value: 'tomorrow', label: 'Until tomorrow 8:00' },
];

function message(e: unknown): string {
  return e instanceof AppError ? (e.issues?.[0]?.message ?? e.message) : 'Something went wrong';
}

function useRun() {
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const run = async (fn: () => Promise<string>) => {
    setError(null);
    setNotice(null);
    try {
      setNotice(await fn());
    } catch (e) {
      setError(message(e));
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
  const save = (body: { emoji?: string | null; text?: string | null; clearAt?: string | null }) =>
    run(async () => {
      const { status } = await api<{ status: StatusDto | null }>('/me/status', { method: 'PUT', body });
      store.set((s) => ({ me: { ...s.me, status } }));
      if (!status) {
        setEmoji('');
        setText('');
      }
      return status ? 'Status set' : 'Status cleared';
    });
  return (
    <section className="card" aria-labelledby="status-title">
      <h2 id="status-title">Status</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save({ emoji: emoji.trim() || null, text: text.trim() || null, clearAt: clearAtFor(clear) });
        }}
      >
        <div className="inline status-fields">
          <div className="field status-emoji-field">
            <label htmlFor="status-emoji">Emoji</label>
            <input id="status-emoji" value={emoji} maxLength={32} onChange={(e) => setEmoji(e.target.value)} placeholder="🌴" />
          </div>
          <div className="field grow">
            <label htmlFor="status-text">Status text</label>
            <input id="status-text" value={text} maxLength={100} onChange={(e) => setText(e.target.value)} placeholder="On holiday" aria-describedby="status-count" />
            <span id="status-count" className="hint">
              {text.length}/100
            </span>
          </div>
        </div>
        <div className="field">
          <label htmlFor="status-clear">Clear after</label>
          <select id="status-clear" value={clear} onChange={(e) => setClear(e.target.value as ClearChoice)}>
            {clearChoices.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        <div className="inline">
          <button type="submit" className="btn btn-primary">
            Set status
          </button>
          <button type="button" className="btn btn-ghost" onClick={() => void save({})}>
            Clear status
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
      <h2 id="dnd-title">Do not disturb</h2>
      <p className="row-sub" data-testid="dnd-state">
        {dnd?.active ? `On${dnd.endsAt ? ` until ${new Date(dnd.endsAt).toLocaleString()}` : ''}: no push notifications (urgent direct messages still come through, once an hour per sender).` : 'Off.'}
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            const body = { until: untilFor(choice), schedule: scheduleOn ? { start, end, timeZone } : null };
            const { dnd: next } = await api<{ dnd: DndStateDto }>('/me/dnd', { method: 'PUT', body });
            store.set((s) => ({ me: { ...s.me, dndState: next, dnd: next.active } }));
            return next.active ? 'Do not disturb is on' : 'Saved';
          });
        }}
      >
        <div className="field">
          <label htmlFor="dnd-for">Pause notifications</label>
          <select id="dnd-for" value={choice} onChange={(e) => setChoice(e.target.value)}>
            {dndChoices.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        <label className="switch">
          <input type="checkbox" checked={scheduleOn} onChange={(e) => setScheduleOn(e.target.checked)} /> Every day
        </label>
        {scheduleOn && (
          <div className="inline">
            <div className="field">
              <label htmlFor="dnd-start">From</label>
              <input id="dnd-start" type="time" value={start} onChange={(e) => setStart(e.target.value)} required />
            </div>
            <div className="field">
              <label htmlFor="dnd-end">To</label>
              <input id="dnd-end" type="time" value={end} onChange={(e) => setEnd(e.target.value)} required />
            </div>
            <span className="hint">{timeZone}</span>
          </div>
        )}
        <button type="submit" className="btn btn-primary">
          Save do not disturb
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
  return (
    <section className="card" aria-labelledby="keywords-title">
      <h2 id="keywords-title">Keywords</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            const list = value.split(',').map((k) => k.trim()).filter(Boolean);
            const { keywords } = await api<{ keywords: string[] }>('/me/keywords', { method: 'PUT', body: { keywords: list } });
            store.set((s) => ({ me: { ...s.me, keywords } }));
            setValue(keywords.join(', '));
            return 'Keywords saved';
          });
        }}
      >
        <div className="field">
          <label htmlFor="keywords">Words that count as mentions of you</label>
          <input id="keywords" value={value} onChange={(e) => setValue(e.target.value)} placeholder="your name, a project" aria-describedby="keywords-hint" />
          <span id="keywords-hint" className="hint">
            Separate with commas; up to 20, matched as whole words, ignoring case. Only you know of them.
          </span>
        </div>
        <button type="submit" className="btn btn-primary">
          Save keywords
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
