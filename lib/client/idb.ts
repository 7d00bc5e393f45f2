/** A tiny IndexedDB key-value store (the offline outbox lives here, so it survives reloads and restarts). */
const DB = 'chattrix';
const STORE = 'kv';

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

let dbPromise: Promise<IDBDatabase> | undefined;
function db(): Promise<IDBDatabase> {
  return (dbPromise ??= openDb().catch((e) => {
    dbPromise = undefined;
    throw e;
  }));
}

export async function idbGet<T>(key: string): Promise<T | undefined> {
  const d = await db();
  return new Promise((resolve, reject) => {
    const req = d.transaction(STORE, 'readonly').objectStore(STORE).get(key);
    req.onsuccess = () => resolve(req.result as T | undefined);
    req.onerror = () => reject(req.error);
  });
}

export async function idbSet(key: string, value: unknown): Promise<void> {
  const d = await db();
  return new Promise((resolve, reject) => {
    const tx = d.transaction(STORE, 'readwrite');
    tx.objectStore(STORE).put(value, key);
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
}

export async function idbDelete(key: string): Promise<void> {
  const d = await db();
  return new Promise((resolve, reject) => {
    const tx = d.transaction(STORE, 'readwrite');
    tx.objectStore(STORE).delete(key);
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
}

/** Everything this device keeps for the signed-in user: erased on sign out. */
export const USER_CACHES = ['chattrix-api', 'chattrix-pages', 'chattrix-media'];

const CACHE_OWNER = 'chattrix-cache-owner';
const cacheOwner = (): string | null => {
  try {
    return localStorage.getItem(CACHE_OWNER);
  } catch {
    return null;
  }
};

/**
 * Makes this device's API copies the signed-in user's: when they were kept for somebody else (or for nobody known:
 * a session that ended without signing out), they are dropped first, so the copies painted before the network
 * answers (`cachedApiJson`) are only ever this user's.
 */
export async function claimApiCache(userId: string): Promise<void> {
  if (erased || !('caches' in globalThis) || cacheOwner() === userId) return;
  await caches.delete('chattrix-api').catch(() => false);
  try {
    localStorage.setItem(CACHE_OWNER, userId);
  } catch {
    /* unavailable: nothing is painted from the cache then */
  }
}

/**
 * This device's copy of an API read (the worker's cache, or the store's snapshot written into it), when it was kept
 * for this user; undefined otherwise, and after signing out.
 */
export async function cachedApiJson<T>(url: string, userId: string): Promise<T | undefined> {
  if (erased || !('caches' in globalThis) || cacheOwner() !== userId) return undefined;
  const early = earlyReads.get(url);
  earlyReads.delete(url);
  // An early read is only this user's if the copies were theirs when it began (not another's, claimed since).
  const data = await (early?.owner === userId ? early.data : readApiCopy(url));
  return erased || cacheOwner() !== userId ? undefined : (data as T | undefined);
}

async function readApiCopy(url: string): Promise<unknown> {
  try {
    const res = await (await caches.open('chattrix-api')).match(url, { ignoreVary: true });
    return res?.ok ? await res.json() : undefined;
  } catch {
    return undefined;
  }
}

const earlyReads = new Map<string, { owner: string; data: Promise<unknown> }>();
/**
 * Starts reading this device's copy of an API read now, while the page is still starting (its scripts evaluated,
 * React not yet hydrated), for `cachedApiJson` to take up later.
 */
export function readApiCopyEarly(url: string): void {
  const owner = typeof window === 'undefined' || !('caches' in globalThis) ? null : cacheOwner();
  if (!owner || earlyReads.has(url)) return;
  earlyReads.set(url, { owner, data: readApiCopy(url) });
}

let erased = false;
/** True once this tab erased the user's data (signing out): nothing may be written back after that. */
export function userDataErased(): boolean {
  return erased;
}

export async function eraseUserData(userId: string): Promise<void> {
  erased = true;
  try {
    localStorage.removeItem(`chattrix-drafts:${userId}`); // drafts kept on this device (lib/client/compose.ts)
  } catch {
    /* unavailable */
  }
  const dropCaches = () => Promise.all('caches' in globalThis ? USER_CACHES.map((c) => caches.delete(c).catch(() => false)) : []);
  await Promise.all([idbDelete(`outbox:${userId}`).catch(() => {}), dropCaches()]);
  // A page fetch already on its way (keeping a page for offline use) is written to the worker's cache when it
  // answers, which can be after the caches above are gone: wait for those, give the worker a moment, erase again.
  if (warming.size > 0) {
    await Promise.allSettled([...warming]);
    await new Promise((r) => setTimeout(r, 300));
    await dropCaches();
  }
}

const pagesWarmed = new Set<string>();
const warming = new Set<Promise<unknown>>();
/** Fetches a page's HTML once per session so the service worker keeps it for offline reloads. */
export async function keepPageOffline(path: string): Promise<void> {
  if (erased || pagesWarmed.has(path) || typeof navigator === 'undefined' || !navigator.serviceWorker?.controller || !navigator.onLine) return;
  pagesWarmed.add(path);
  await tracked(fetch(path, { headers: { accept: 'text/html' }, credentials: 'same-origin' }).catch(() => pagesWarmed.delete(path)));
}

/** Reads an API page once so the service worker keeps it for offline use (nothing once the user's data is erased). */
export async function keepApiOffline(url: string): Promise<void> {
  if (erased) return;
  await tracked(fetch(url, { credentials: 'same-origin' }).catch(() => undefined));
}

function tracked<T>(p: Promise<T>): Promise<T> {
  warming.add(p);
  return p.finally(() => warming.delete(p));
}
