'use client';

import { useId } from 'react';
import type { NotifyLevel } from '@/lib/validation/attention';

const OPTIONS: { value: NotifyLevel; label: string }[] = [
  { value: 'all', label: 'All messages' },
  { value: 'mentions', label: 'Mentions only' },
  { value: 'none', label: 'Nothing' },
];

/** The caller's notification level in one conversation: badge, mention count, web push and the tab title. */
export function NotifySelect({ value, onChange }: { value: NotifyLevel; onChange: (v: NotifyLevel) => void }) {
  const name = useId();
  return (
    <fieldset className="notify-select">
      <legend>Notify me about</legend>
      {OPTIONS.map((o) => (
        <label key={o.value} className="radio">
          <input type="radio" name={name} value={o.value} checked={value === o.value} onChange={() => onChange(o.value)} /> {o.label}
        </label>
      ))}
    </fieldset>
  );
}
