/**
 * Time helpers shared by the message list and the sidebar. Dates and numbers are written the way the active
 * language writes them (`locale`) in the browser's own time zone; the words ("Today", "5 min ago") come from the
 * messages (`time.*`). Components use them through `useFormat()`, which binds both.
 */
export interface TimeWords {
  (key: 'today' | 'yesterday' | 'justNow'): string;
  (key: 'minutesAgo' | 'hoursAgo', values: { count: number }): string;
}

export function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/**
 * One Intl.DateTimeFormat per language and style, made once: toLocaleTimeString with options builds a new one on
 * every call, which cost a long history's render some 15% of its time (a time on every message).
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.DateTimeFormat(locale, options)));
  return f;
}
const CLOCK: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };
const EXACT: Intl.DateTimeFormatOptions = { dateStyle: 'full', timeStyle: 'medium' };

export function dayLabel(d: Date, locale: string, t: TimeWords, now = new Date()): string {
  if (sameDay(d, now)) return t('today');
  const y = new Date(now);
  y.setDate(now.getDate() - 1);
  if (sameDay(d, y)) return t('yesterday');
  return formatter(locale, { weekday: 'long', month: 'long', day: 'numeric', year: d.getFullYear() === now.getFullYear() ? undefined : 'numeric' }).format(d);
}

export function clockTime(d: Date, locale: string): string {
  return formatter(locale, CLOCK).format(d);
}

export function exactTime(iso: string, locale: string): string {
  return formatter(locale, EXACT).format(new Date(iso));
}

/** Sidebar time: a clock today, a weekday this week, a date before. */
export function shortTime(iso: string, locale: string, now = new Date()): string {
  const d = new Date(iso);
  if (sameDay(d, now)) return clockTime(d, locale);
  const diffDays = (now.getTime() - d.getTime()) / 86_400_000;
  if (diffDays < 7) return formatter(locale, { weekday: 'short' }).format(d);
  return formatter(locale, { month: 'short', day: 'numeric' }).format(d);
}

export function relativeTime(iso: string, locale: string, t: TimeWords, now = Date.now()): string {
  const diff = Math.max(0, now - new Date(iso).getTime());
  const min = Math.round(diff / 60_000);
  if (min < 1) return t('justNow');
  if (min < 60) return t('minutesAgo', { count: min });
  const h = Math.round(min / 60);
  if (h < 24) return t('hoursAgo', { count: h });
  return new Date(iso).toLocaleDateString(locale);
}
