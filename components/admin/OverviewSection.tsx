'use client';

import { useCallback, useEffect, useState } from 'react';
import { api } from '@/lib/client/api';
import type { AdminOverview } from '@/lib/validation/admin';
import { FormError } from '@/components/ui/FieldError';

const num = new Intl.NumberFormat('en');

/** Bytes in human units (powers of 1000, as disks and most file managers count): "12.4 MB". */
export function humanBytes(bytes: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  if (unit === 0) return `${num.format(value)} ${value === 1 ? 'byte' : 'bytes'}`;
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** "Nov 28" for a UTC day "2026-11-28". */
const shortDay = (day: string) => new Date(`${day}T00:00:00Z`).toLocaleDateString('en', { month: 'short', day: 'numeric', timeZone: 'UTC' });

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
  const total = days.reduce((n, d) => n + d.count, 0);
  const busiest = days.reduce((best, d) => (d.count > best.count ? d : best), days[0] ?? { day: '', count: 0 });
  const max = Math.max(1, busiest.count);
  const W = 300;
  const H = 100;
  /** Room above the tallest bar, where the dashed peak line runs. */
  const TOP = 2;
  const slot = W / Math.max(1, days.length);
  const label =
    `Messages per day over the last ${days.length} days: ${num.format(total)} in all` +
    (busiest.count > 0 ? `, busiest ${busiest.day} with ${num.format(busiest.count)}` : '');
  const first = days[0]?.day;
  const last = days[days.length - 1]?.day;
  return (
    <figure className="ov-chart">
      <figcaption className="ov-chart-head">
        <span>Messages per day</span>
        <span className="ov-chart-max">peak {num.format(busiest.count)}</span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={label}>
        {/* The peak's height, the one the caption's "peak" names. */}
        <line className="ov-grid" x1={0} x2={W} y1={TOP} y2={TOP} vectorEffect="non-scaling-stroke" />
        {days.map((d, i) => {
          const h = d.count === 0 ? 0 : Math.max(1.5, (d.count / max) * (H - TOP));
          return (
            <g key={d.day}>
              <title>{`${d.day}: ${num.format(d.count)} ${d.count === 1 ? 'message' : 'messages'}`}</title>
              {/* The whole column takes the pointer, so a day with few messages still shows its title. */}
              <rect className="ov-hit" x={i * slot} y={0} width={slot} height={H} />
              <rect className={i === days.length - 1 ? 'ov-bar ov-today' : 'ov-bar'} x={i * slot + slot * 0.15} y={H - h} width={slot * 0.7} height={h} />
            </g>
          );
        })}
        <line className="ov-axis" x1={0} x2={W} y1={H} y2={H} vectorEffect="non-scaling-stroke" />
      </svg>
      <div className="ov-chart-foot" aria-hidden="true">
        <span>{first && shortDay(first)}</span>
        <span>today</span>
      </div>
      {/* Hidden by a box around it: a table itself ignores overflow, and would widen the page on a phone. */}
      <div className="sr-only">
        <table>
          <caption>Messages per day, {first} to {last} (UTC)</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Messages</th>
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
        <h2 id="overview">Overview</h2>
        <button type="button" className="btn btn-sm btn-ghost" disabled={loading} onClick={() => void load()}>
          Refresh
        </button>
      </div>
      <FormError message={error} />
      {!data && loading && <p className="ov-loading">Loading…</p>}
      {data && (
        <>
          <dl className="ov-tiles">
            <Tile
              label="People"
              value={num.format(data.users.total)}
              sub={`${num.format(data.users.admins)} admin${data.users.admins === 1 ? '' : 's'} · ${num.format(data.users.bots)} bot${data.users.bots === 1 ? '' : 's'} · ${num.format(data.users.deactivated)} deactivated`}
            />
            <Tile label="Active in 7 days" value={num.format(data.users.active7d)} sub="seen or online now" />
            <Tile label="Messages in 30 days" value={num.format(messages30)} sub={`${num.format(today)} today`} />
            <Tile label="Storage" value={humanBytes(data.storage.bytes)} sub={`${num.format(data.storage.files)} file${data.storage.files === 1 ? '' : 's'}`} />
            <Tile label="Sockets now" value={num.format(data.sockets.total)} sub={`on ${nodes.length} node${nodes.length === 1 ? '' : 's'}`} />
          </dl>
          <MessagesChart days={data.messagesPerDay} />
          <h3 className="ov-nodes-title">Sockets per node</h3>
          <ul className="ov-nodes" aria-label="Sockets per node">
            {nodes.map((n) => (
              <li key={n.nodeId}>
                <code title={n.nodeId}>{n.nodeId}</code>
                {n.self && <span className="ov-self">this node</span>}
                <span className="ov-count">
                  {num.format(n.sockets)} socket{n.sockets === 1 ? '' : 's'}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
