import { AppError, type ErrorBody } from '../errors';

/** Browser-side REST calls: JSON in and out, contract errors turned back into AppError. */
export async function api<T>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const res = await fetch(`/api/v1${path}`, {
    method: init.method ?? 'GET',
    headers: init.body !== undefined ? { 'content-type': 'application/json' } : undefined,
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    credentials: 'same-origin',
    signal: init.signal,
  });
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => null)) as (T & { error?: ErrorBody }) | null;
  if (!res.ok) throw AppError.fromBody(data?.error ?? { code: 'internal', message: `HTTP ${res.status}` });
  return data as T;
}
