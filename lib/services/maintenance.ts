import { deleteOrphanAttachments } from '../../db/queries/attachments';
import { startEmbeddedDbUpkeep } from '../../db/upkeep';
import { removeFiles } from '../storage';
import { pruneSessions } from './sessions';
import { pruneSecurityEvents } from './security-events';
import { startAttentionSweeper } from './attention';
import { startRetention } from './retention';

/** Uploads never sent with a message are removed after a day (files and rows). */
export async function sweepOrphanUploads(now = new Date()): Promise<number> {
  const removed = await deleteOrphanAttachments({ before: new Date(now.getTime() - 24 * 3600_000) });
  await removeFiles(removed.flatMap((a) => [a.storageKey, a.thumbnailKey]));
  return removed.length;
}

/**
 * Starts the hourly housekeeping, the attention sweeper, message retention and (on PGlite) the database's upkeep;
 * returns a stop function.
 */
export function startMaintenance(): () => void {
  const run = () =>
    void sweepOrphanUploads()
      .then((n) => n > 0 && console.log(`[chattrix] removed ${n} unsent upload(s)`))
      .catch((e) => console.error('[chattrix] maintenance failed:', e))
      .then(() => Promise.all([pruneSessions(), pruneSecurityEvents()]))
      .catch((e) => console.error('[chattrix] session pruning failed:', e));
  const first = setTimeout(run, 60_000);
  const timer = setInterval(run, 3600_000);
  first.unref();
  timer.unref();
  // Statuses clear and do-not-disturb periods end at their time (what came due while the server was down: now).
  const stopSweeper = startAttentionSweeper();
  // Messages past the site's (or their channel's) retention period.
  const stopRetention = startRetention();
  // PGlite has no autovacuum: statistics and dead rows are seen to here.
  const stopUpkeep = startEmbeddedDbUpkeep();
  return () => {
    stopSweeper();
    stopRetention();
    stopUpkeep();
    clearTimeout(first);
    clearInterval(timer);
  };
}
