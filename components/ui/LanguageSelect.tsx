'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { setLanguageAction } from '@/app/(chat)/settings/language-action';
import type { Locale } from '@/lib/i18n/config';

export type LanguageChoice = Locale | 'browser';

/** Each language named in itself, so someone lost in the wrong one still finds theirs. */
const names: Record<Locale, string> = { en: 'English', de: 'Deutsch' };

/** Browser default, English or Deutsch: a cookie for this browser (a server action), then the page renders again in it. */
export function LanguageSelect({ id = 'language', chosen }: { id?: string; chosen: LanguageChoice }) {
  const t = useTranslations('settings.language');
  const router = useRouter();
  const [value, setValue] = useState<LanguageChoice>(chosen);
  const [pending, startTransition] = useTransition();
  return (
    <select
      id={id}
      className="theme-select"
      value={value}
      aria-busy={pending || undefined}
      onChange={(e) => {
        const next = e.target.value as LanguageChoice;
        setValue(next);
        startTransition(async () => {
          await setLanguageAction(next);
          router.refresh();
        });
      }}
    >
      <option value="browser">{t('browser')}</option>
      {(Object.keys(names) as Locale[]).map((l) => (
        <option key={l} value={l} lang={l}>
          {names[l]}
        </option>
      ))}
    </select>
  );
}
