'use client';

import type { ChangeEvent } from 'react';

/** A labelled choice among the caller's bots ("Reply as bot", "Posts as"): controlled (value) or in a form (name). */
export function BotSelect(p: {
  id: string;
  label: string;
  bots: { id: string; username: string; displayName: string }[];
  className?: string;
  name?: string;
  value?: string;
  onChange?: (e: ChangeEvent<HTMLSelectElement>) => void;
}) {
  return (
    <div className={p.className ?? 'field'}>
      <label htmlFor={p.id}>{p.label}</label>
      <select id={p.id} name={p.name} required value={p.value} onChange={p.onChange}>
        {p.bots.map((b) => (
          <option key={b.id} value={b.id}>
            {b.displayName} (@{b.username})
          </option>
        ))}
      </select>
    </div>
  );
}
