'use client';

import { useTranslations } from 'next-intl';
import { useId } from 'react';
import type { NotifyLevel } from '@/lib/validation/attention';

const OPTIONS: NotifyLevel[] = ['all', 'mentions', 'none'];

/** The caller's notification level in one conversation: badge, mention count, web push and the tab title. */
export function NotifySelect({ value, onChange }: { value: NotifyLevel; onChange: (v: NotifyLevel) => void }) {
  const name = useId();
  const t = useTranslations('notify');
  return (
    <fieldset className="notify-select">
      <legend>{t('legend')}</legend>
      {OPTIONS.map((o) => (
        <label key={o} className="radio">
          <input type="radio" name={name} value={o} checked={value === o} onChange={() => onChange(o)} /> {t(o)}
        </label>
      ))}
    </fieldset>
  );
}
