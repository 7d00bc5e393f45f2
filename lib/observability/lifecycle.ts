/**
 * The process's life: starting → ready → draining (SIGTERM). Readiness (/readyz) reads it; the socket handlers
 * count their in-flight sends here so shutdown can wait for them to be stored and acknowledged.
 * Kept on globalThis (server.ts and Next's bundle share one process).
 */
export type LifecycleState = 'starting' | 'ready' | 'draining';

interface Lifecycle {
  state: LifecycleState;
  inflight: number;
  idle: (() => void)[];
  checks: Map<string, () => Promise<unknown>>;
}

const g = globalThis as unknown as { __chattrixLifecycle?: Lifecycle };
const life: Lifecycle = (g.__chattrixLifecycle ??= { state: 'starting', inflight: 0, idle: [], checks: new Map() });

export function lifecycleState(): LifecycleState {
  return life.state;
}

export function setLifecycleState(state: LifecycleState): void {
  life.state = state;
}

export function isDraining(): boolean {
  return life.state === 'draining';
}

/** Runs `fn` counted as in-flight work (a message being stored and acknowledged). */
export async function trackInflight<T>(fn: () => Promise<T>): Promise<T> {
  life.inflight++;
  try {
    return await fn();
  } finally {
    life.inflight--;
    if (life.inflight === 0) for (const resolve of life.idle.splice(0)) resolve();
  }
}

export function inflightCount(): number {
  return life.inflight;
}

/** Resolves true once nothing is in flight, false if `timeoutMs` passes first. */
export function waitForInflight(timeoutMs: number): Promise<boolean> {
  if (life.inflight === 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    life.idle.push(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** A dependency readiness checks (the database is checked by /readyz itself; Redis registers here). */
export function addReadinessCheck(name: string, check: () => Promise<unknown>): void {
  life.checks.set(name, check);
}

export function removeReadinessCheck(name: string): void {
  life.checks.delete(name);
}

export function readinessChecks(): [string, () => Promise<unknown>][] {
  return [...life.checks];
}
