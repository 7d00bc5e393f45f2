'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useState } from 'react';

type Theme = 'light' | 'dark' | 'system';
const KEY = 'chattrix-theme';

function apply(theme: Theme) {
  const dark = theme === 'dark' || (theme === 'system' && window.matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
}

/** Light, dark or system; kept per device in localStorage. */
export function ThemeSelect({ id = 'theme', label = true }: { id?: string; label?: boolean }) {
  const [theme, setTheme] = useState<Theme>('system');
  const t = useTranslations('theme');

  useEffect(() => {
    const stored = (localStorage.getItem(KEY) as Theme | null) ?? 'system';
    setTheme(stored);
    // Re-apply on mount: whatever happened to <html> since the first paint, the chosen theme holds.
    apply(stored);
    const mq = window.matchMedia('(prefers-color-scheme: dark)');
    const onChange = () => apply((localStorage.getItem(KEY) as Theme | null) ?? 'system');
    mq.addEventListener('change', onChange);
    return () => mq.removeEventListener('change', onChange);
  }, []);

  return (
    <>
      {label && (
        <label htmlFor={id} className="sr-only">
          {t('label')}
        </label>
      )}
      <select
        id={id}
        className="theme-select"
        value={theme}
        onChange={(e) => {
          const t = e.target.value as Theme;
          setTheme(t);
          localStorage.setItem(KEY, t);
          apply(t);
        }}
      >
        <option value="system">{t('system')}</option>
        <option value="light">{t('light')}</option>
        <option value="dark">{t('dark')}</option>
      </select>
    </>
  );
}
