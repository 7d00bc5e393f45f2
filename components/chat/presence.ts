'use client';

import { useTranslations } from 'next-intl';

import type { Format } from '@/components/i18n/useFormat';
import { useRealtime } from './Realtime';

/**
 * Whether the presence we show is current: only while connected. Offline or reconnecting, nobody's presence is
 * known (we would not hear them leave), so it shows greyed as unknown until the connection is back.
 */
export function usePresenceKnown(): boolean {
  return useRealtime().state === 'connected';
}

/** `true`/`false`, or `null` when unknown (Avatar draws a hollow grey dot). */
export function shownOnline(online: boolean, known: boolean): boolean | null {
  return known ? online : null;
}

export interface PresenceWords {
  (key: 'unknown' | 'online' | 'offline' | 'away'): string;
  (key: 'lastSeen', values: { when: string }): string;
}

/** `t` is `useTranslations('presence')`, `f` is `useFormat()`. */
export function presenceText(u: { online: boolean; lastSeenAt: string | null }, known: boolean, t: PresenceWords, f: Format): string {
  if (!known) return t('unknown');
  return u.online ? t('online') : u.lastSeenAt ? t('lastSeen', { when: f.relativeTime(u.lastSeenAt) }) : t('offline');
}

/** The words presenceText needs, bound to the active language. */
export function usePresenceWords(): PresenceWords {
  return useTranslations('presence') as unknown as PresenceWords;
}
