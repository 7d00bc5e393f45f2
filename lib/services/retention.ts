import * as rq from '../../db/queries/retention';
import { idFloor } from '../ids';
import { removeFiles } from '../storage';
import { getSiteSettings } from './settings';

const DAY_MS = 24 * 3600_000;
const BATCH = 500;

/**
 * Message retention: messages older than the site's period (Workspace settings, `retentionDays`), or a channel's own
 * (`retentionDays` on the channel: 0 keeps everything), are deleted with their files. Ids sort by creation time, so
 * "older than" is a range of the primary key. A thread root with a newer reply stays until that reply expires.
 * Deleting twice is harmless: every node may run it.
 */
export async function runRetention(now = Date.now()): Promise<{ messages: number; files: number }> {
  const site = (await getSiteSettings()).retentionDays;
  const periods: { days: number; own: boolean }[] = [
    ...(site ? [{ days: site, own: false }] : []),
    ...(await rq.channelRetentionPeriods()).map((days) => ({ days, own: true })),
  ];
  let messages = 0;
  let files = 0;
  for (const { days, own } of periods) {
    const cutoffId = idFloor(now - days * DAY_MS);
    for (let afterId = ''; ; ) {
      const batch = await rq.deleteExpiredMessages({ cutoffId, days: own ? days : null, afterId, limit: BATCH });
      messages += batch.deleted;
      files += batch.files.length;
      await removeFiles(batch.files.flatMap((f) => [f.storageKey, f.thumbnailKey]));
      if (batch.deleted < BATCH || !batch.lastId) break;
      afterId = batch.lastId;
    }
  }
  return { messages, files };
}

/** Runs retention soon after start (what expired while the server was down), then hourly; returns a stop function. */
export function startRetention(): () => void {
  const run = () =>
    void runRetention()
      .then((r) => r.messages > 0 && console.log(`[chattrix] retention deleted ${r.messages} message(s) and ${r.files} file(s)`))
      .catch((e) => console.error('[chattrix] retention failed:', e));
  const first = setTimeout(run, 5_000);
  const timer = setInterval(run, 3600_000);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
