'use client';

import { useLocale, useTranslations } from 'next-intl';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { api } from '@/lib/client/api';
import type { AdminOverview } from '@/lib/validation/admin';
import { FormError } from '@/components/ui/FieldError';

/** Bytes in human units (powers of 1000, as disks and most file managers count): "12.4 MB" ("12,4 MB" in German). */
export function humanBytes(bytes: number, locale = 'en', byteWord: (count: number) => string = (n) => (n === 1 ? 'byte' : 'bytes')): string {
  const num = new Intl.NumberFormat(locale);
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  if (unit === 0) return `${num.format(value)} ${byteWord(value)}`;
  return `${value < 10 ? value.toLocaleString(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) : Math.round(value)} ${units[unit]}`;
}

/** "Nov 28" ("28. Nov.") for a UTC day "2026-11-28". */
const shortDay = (day: string, locale: string) => new Date(`${day}T00:00:00Z`).toLocaleDateString(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** Numbers as the active language writes them (1,234 or 1.234). */
function useNum() {
  const locale = useLocale();
  return useMemo(() => ({ locale, num: new Intl.NumberFormat(locale) }), [locale]);
}

function Tile({ label, value, sub }: { label: string; value: string; sub?: string }) {
  return (
    <div className="ov-tile">
      <dt>{label}</dt>
      <dd>
        <span className="ov-value">{value}</span>
        {sub && <span className="ov-sub">{sub}</span>}
      </dd>
    </div>
  );
}

/** Messages per day as bars: inline SVG that scales with its box (viewBox), colours from the theme's variables. */
function MessagesChart({ days }: { days: AdminOverview['messagesPerDay'] }) {
  const t = useTranslations('admin.overview');
  const { num, locale } = useNum();
  const total = days.reduce((n, d) => n + d.count, 0);
  const busiest = days.reduce((best, d) => (d.count > best.count ? d : best), days[0] ?? { day: '', count: 0 });
  const max = Math.max(1, busiest.count);
  const W = 300;
  const H = 100;
  /** Room above the tallest bar, where the dashed peak line runs. */
  const TOP = 2;
  const slot = W / Math.max(1, days.length);
  const label =
    t('chartLabel', { days: days.length, total: num.format(total) }) +
    (busiest.count > 0 ? t('chartBusiest', { day: busiest.day, count: num.format(busiest.count) }) : '');
  const first = days[0]?.day;
  const last = days[days.length - 1]?.day;
  return (
    <figure className="ov-chart">
      <figcaption className="ov-chart-head">
        <span>{t('perDay')}</span>
        <span className="ov-chart-max">{t('peak', { count: num.format(busiest.count) })}</span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={label}>
        {/* The peak's height, the one the caption's "peak" names. */}
        <line className="ov-grid" x1={0} x2={W} y1={TOP} y2={TOP} vectorEffect="non-scaling-stroke" />
        {days.map((d, i) => {
          const h = d.count === 0 ? 0 : Math.max(1.5, (d.count / max) * (H - TOP));
          return (
            <g key={d.day}>
              <title>{t('dayTitle', { day: d.day, count: d.count, formatted: num.format(d.count) })}</title>
              {/* The whole column takes the pointer, so a day with few messages still shows its title. */}
              <rect className="ov-hit" x={i * slot} y={0} width={slot} height={H} />
              <rect className={i === days.length - 1 ? 'ov-bar ov-today' : 'ov-bar'} x={i * slot + slot * 0.15} y={H - h} width={slot * 0.7} height={h} />
            </g>
          );
        })}
        <line className="ov-axis" x1={0} x2={W} y1={H} y2={H} vectorEffect="non-scaling-stroke" />
      </svg>
      <div className="ov-chart-foot" aria-hidden="true">
        <span>{first && shortDay(first, locale)}</span>
        <span>{t('today')}</span>
      </div>
      {/* Hidden by a box around it: a table itself ignores overflow, and would widen the page on a phone. */}
      <div className="sr-only">
        <table>
          <caption>{t('caption', { first: first ?? '', last: last ?? '' })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('day')}</th>
              <th scope="col">{t('messages')}</th>
            </tr>
          </thead>
          <tbody>
            {days.map((d) => (
              <tr key={d.day}>
                <th scope="row">{d.day}</th>
                <td>{d.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

/** The console's first card: people, activity, messages per day, storage and sockets per node (REST: /admin/overview). */
export function OverviewSection() {
  const t = useTranslations('admin.overview');
  const { num, locale } = useNum();
  const [data, setData] = useState<AdminOverview | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setData((await api<{ overview: AdminOverview }>('/admin/overview')).overview);
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const messages30 = data?.messagesPerDay.reduce((n, d) => n + d.count, 0) ?? 0;
  const today = data?.messagesPerDay[data.messagesPerDay.length - 1]?.count ?? 0;
  const nodes = data?.sockets.nodes ?? [];

  return (
    <section className="card overview" aria-labelledby="overview" aria-busy={loading || undefined}>
      <div className="ov-head">
        <h2 id="overview">{t('title')}</h2>
        <button type="button" className="btn btn-sm btn-ghost" disabled={loading} onClick={() => void load()}>
          {t('refresh')}
        </button>
      </div>
      <FormError message={error} />
      {!data && loading && <p className="ov-loading">{t('loading')}</p>}
      {data && (
        <>
          <dl className="ov-tiles">
            <Tile
              label={t('people')}
              value={num.format(data.users.total)}
              sub={t('peopleSub', { admins: data.users.admins, bots: data.users.bots, deactivated: data.users.deactivated })}
            />
            <Tile label={t('active')} value={num.format(data.users.active7d)} sub={t('activeSub')} />
            <Tile label={t('messages30')} value={num.format(messages30)} sub={t('todayCount', { count: num.format(today) })} />
            <Tile label={t('storage')} value={humanBytes(data.storage.bytes, locale, (n) => t('bytes', { count: n }))} sub={t('files', { count: data.storage.files })} />
            <Tile label={t('sockets')} value={num.format(data.sockets.total)} sub={t('nodes', { count: nodes.length })} />
          </dl>
          <MessagesChart days={data.messagesPerDay} />
          <h3 className="ov-nodes-title">{t('perNode')}</h3>
          <ul className="ov-nodes" aria-label={t('perNode')}>
            {nodes.map((n) => (
              <li key={n.nodeId}>
                <code title={n.nodeId}>{n.nodeId}</code>
                {n.self && <span className="ov-self">{t('thisNode')}</span>}
                <span className="ov-count">
                  {t('socketCount', { count: n.sockets })}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
