'use client';

import { useLocale, useTranslations } from 'next-intl';
import { useMemo } from 'react';
import { clockTime, dayLabel, exactTime, relativeTime, shortTime, type TimeWords } from '@/components/chat/format';

/**
 * Dates, times and numbers in the active language and the browser's time zone (toLocale* without a `timeZone`).
 * Times show in client-rendered lists only (the chat's data arrives in the browser), so the server and the
 * browser never render a different clock.
 */
export function useFormat() {
  const locale = useLocale();
  const t = useTranslations('time') as unknown as TimeWords;
  return useMemo(
    () => ({
      locale,
      dayLabel: (d: Date) => dayLabel(d, locale, t),
      clockTime: (d: Date) => clockTime(d, locale),
      exactTime: (iso: string) => exactTime(iso, locale),
      shortTime: (iso: string) => shortTime(iso, locale),
      relativeTime: (iso: string) => relativeTime(iso, locale, t),
      /** A date alone (`3/14/2026`, `14.3.2026`). */
      date: (iso: string | Date) => new Date(iso).toLocaleDateString(locale),
      /** A date and time (`3/14/2026, 9:41:00 AM`, `14.3.2026, 09:41:00`). */
      dateTime: (iso: string | Date, options?: Intl.DateTimeFormatOptions) => new Date(iso).toLocaleString(locale, options),
      /** A day and time for schedules (`Sat, Mar 14, 09:41`). */
      when: (iso: string) => new Date(iso).toLocaleString(locale, { weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }),
      number: (n: number) => n.toLocaleString(locale),
    }),
    [locale, t],
  );
}

export type Format = ReturnType<typeof useFormat>;
