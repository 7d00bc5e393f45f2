'use client';

import { relativeTime } from './format';
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

export function presenceText(u: { online: boolean; lastSeenAt: string | null }, known: boolean): string {
  if (!known) return 'status unknown while offline';
  return u.online ? 'online' : u.lastSeenAt ? `last seen ${relativeTime(u.lastSeenAt)}` : 'offline';
}
