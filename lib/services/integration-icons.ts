import { AppError } from '../errors';
import { iconHash } from '../integrations/icon-path';
import { storage } from '../storage';
import { fetchImage } from './previews';

/**
 * Integration icons (an incoming webhook's `iconUrl`, or one a post asks for): the page may load images only from
 * Chattrix (CSP `img-src 'self'`), and a reader's browser must not call a third party. So the server fetches each
 * icon once, through the outbound guard, as a 96 px WebP square stored under the hash of its URL, and messages show
 * it from `/api/v1/integration-icons/{hash}`.
 */
const ICON_PX = 96;
/** A URL that gave no image is not asked again for this long. */
const RETRY_MS = 60 * 60_000;

const inflight = new Map<string, Promise<boolean>>();
const failedAt = new Map<string, number>();
/** Icons known to be in storage: a post with one of these costs no storage read (an S3 request). */
const known = new Set<string>();
const remember = (hash: string) => {
  if (known.size > 10_000) known.clear();
  known.add(hash);
};

const keyOf = (hash: string) => `ic-${hash}`;

/** Fetches and stores the icon unless it is stored already (or failed within the hour). True when it is stored; never
 * rejects. */
export function ensureIcon(url: string): Promise<boolean> {
  const hash = iconHash(url);
  if (known.has(hash)) return Promise.resolve(true);
  const running = inflight.get(hash);
  if (running) return running;
  const job = (async () => {
    const have = await storage().read(keyOf(hash));
    if (have) {
      have.stream.destroy();
      remember(hash);
      return true;
    }
    const failed = failedAt.get(hash);
    if (failed !== undefined && Date.now() - failed < RETRY_MS) return false;
    const stored = await fetchImage(url, { px: ICON_PX, fit: 'cover', key: keyOf(hash) });
    if (stored) {
      failedAt.delete(hash);
      remember(hash);
    } else {
      if (failedAt.size > 1000) failedAt.clear();
      failedAt.set(hash, Date.now());
    }
    return stored !== null;
  })()
    .catch(() => false)
    .finally(() => inflight.delete(hash));
  inflight.set(hash, job);
  return job;
}

/** Waits for the icon at most `ms` (a post is not held up by a slow icon server: its icon shows from the next). */
export async function ensureIconWithin(url: string, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([ensureIcon(url), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

export async function readIcon(hash: string) {
  if (!/^[0-9a-f]{32}$/.test(hash)) throw new AppError('not_found', 'No such icon');
  const data = await storage().read(keyOf(hash));
  if (!data) throw new AppError('not_found', 'No such icon');
  return data;
}
