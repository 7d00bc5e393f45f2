import { afterEach, describe, expect, it, vi } from 'vitest';
import { idFloor, newId } from '../../lib/ids';

describe('idFloor', () => {
  afterEach(() => vi.useRealTimers());

  const idAt = (ms: number) => {
    vi.useFakeTimers({ now: ms, toFake: ['Date'] });
    const id = newId();
    vi.useRealTimers();
    return id;
  };

  it('is the time characters of an id made at that millisecond, then sixteen zeros', () => {
    const t = Date.UTC(2026, 10, 30, 12, 0, 0, 123);
    const id = idAt(t);
    expect(idFloor(t)).toHaveLength(id.length);
    expect(idFloor(t)).toBe(`${id.slice(0, 10)}${'0'.repeat(16)}`);
  });

  it('sorts after every id of earlier milliseconds and at or before every id of that one and later', () => {
    const t = Date.UTC(2026, 10, 1);
    const floor = idFloor(t);
    for (let i = 0; i < 50; i++) {
      expect(idAt(t - 1) < floor).toBe(true);
      expect(idAt(t) >= floor).toBe(true);
      expect(idAt(t + 1) > floor).toBe(true);
    }
    expect(idFloor(t - 1) < floor && floor < idFloor(t + 1)).toBe(true);
    // Far apart too (the 48-bit time is compared as text: fixed width, alphabet in code order).
    expect(idFloor(0) < idFloor(t) && idFloor(t) < idFloor(2 ** 48 - 1)).toBe(true);
    expect(idFloor(0)).toBe('0'.repeat(26));
  });
});
