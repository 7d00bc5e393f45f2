/**
 * A do-not-disturb schedule is read in its own time zone (lib/services/attention.ts `scheduleState`). The formatter of
 * each zone is made once and kept, with the local minute it last gave: two zones at one instant must still each get
 * their own local time, in either order, and the next minute (or an earlier one) must not get the last one's.
 */
import { describe, expect, it } from 'vitest';
import { publicAttention, scheduleState } from '@/lib/services/attention';

// 2026-01-01 12:00 UTC: 02:00 on Jan 2 in Kiritimati (UTC+14), 01:00 on Jan 1 in Pago Pago (UTC-11).
const at = Date.UTC(2026, 0, 1, 12, 0);
const night = (timeZone: string) => ({ start: '01:30', end: '03:00', timeZone });

describe('a do-not-disturb schedule in its own time zone', () => {
  it('is active where the local time is inside it and not where it is outside, whichever zone is read first', () => {
    for (let round = 0; round < 2; round++) {
      expect(scheduleState(night('Pacific/Kiritimati'), at)).toEqual({ active: true, endsAt: new Date(Date.UTC(2026, 0, 1, 13, 0)) });
      expect(scheduleState(night('Pacific/Pago_Pago'), at)).toEqual({ active: false, endsAt: null });
      expect(scheduleState(night('UTC'), at)).toEqual({ active: false, endsAt: null });
    }
    expect(scheduleState(night('Pacific/Pago_Pago'), at + 45 * 60_000)).toEqual({ active: true, endsAt: new Date(Date.UTC(2026, 0, 1, 14, 0)) });
  });

  it('reads the clock again when the minute changes, forwards or back', () => {
    const zone = night('Pacific/Kiritimati'); // 01:30–03:00 local is 11:30–13:00 UTC
    const utc = (h: number, m: number, s = 0) => Date.UTC(2026, 0, 1, h, m, s);
    expect(scheduleState(zone, utc(12, 59, 59)).active).toBe(true);
    expect(scheduleState(zone, utc(13, 0, 0)).active).toBe(false);
    expect(scheduleState(zone, utc(13, 0, 30)).active).toBe(false);
    expect(scheduleState(zone, utc(11, 29, 59)).active).toBe(false);
    expect(scheduleState(zone, utc(11, 30, 0))).toEqual({ active: true, endsAt: new Date(utc(13, 0)) });
    expect(scheduleState(zone, utc(12, 59, 0))).toEqual({ active: true, endsAt: new Date(utc(13, 0)) });
  });

  it('shows others only whether it is on and until when', () => {
    const u = { statusEmoji: null, statusText: null, statusClearAt: null, dndUntil: null, dndSchedule: night('Pacific/Kiritimati') };
    expect(publicAttention(u, at)).toEqual({ status: null, dnd: true, dndEndsAt: '2026-01-01T13:00:00.000Z' });
    expect(publicAttention({ ...u, dndSchedule: night('Pacific/Pago_Pago') }, at)).toEqual({ status: null, dnd: false, dndEndsAt: null });
  });
});
