import { AppError, type ErrorBody } from '../errors';
import { FRESH_HEADER } from './fresh';

/**
 * Browser-side REST calls: JSON in and out, contract errors turned back into AppError. `fresh` asks the service worker
 * for the network's answer only, never its cached snapshot (the catch-up after a reconnect).
 */
export async function api<T>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal; fresh?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.fresh) headers[FRESH_HEADER] = '1';
  const res = await fetch(`/api/v1${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    credentials: 'same-origin',
    signal: init.signal,
  });
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => null)) as (T & { error?: ErrorBody }) | null;
  if (!res.ok) throw AppError.fromBody(data?.error ?? { code: 'internal', message: `HTTP ${res.status}` });
  return data as T;
}
