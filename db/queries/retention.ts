import { sql } from 'drizzle-orm';
import { getDb, type Executor } from '../index';
import { rowsOf } from './rows';

/** The retention periods channels have of their own (0, keep everything, is not one). */
export async function channelRetentionPeriods(ex: Executor = getDb()): Promise<number[]> {
  const res = await ex.execute(sql`select distinct retention_days as days from conversations where retention_days > 0`);
  return rowsOf<{ days: number }>(res).map((r) => Number(r.days));
}

/**
 * Deletes one batch of expired messages, oldest first after `afterId` (a keyset, so rows kept are never read twice):
 * those made before `cutoffId` in conversations that follow the site's period (`days` null) or have `days` of their
 * own. A thread root with a reply made since the cutoff stays until that reply expires. Its files' rows go in the
 * same statement (their storage keys are returned for the caller to remove); reactions, mentions and follows go
 * with the message (foreign keys).
 */
export async function deleteExpiredMessages(
  { cutoffId, days, afterId, limit }: { cutoffId: string; days: number | null; afterId: string; limit: number },
  ex: Executor = getDb(),
): Promise<{ deleted: number; lastId: string | null; files: { storageKey: string; thumbnailKey: string | null }[] }> {
  const res = await ex.execute(sql`
    with doomed as (
      select m.id from messages m
      join conversations c on c.id = m.conversation_id
      where m.id > ${afterId} and m.id < ${cutoffId}
        and ${days === null ? sql`c.retention_days is null` : sql`c.retention_days = ${days}`}
        and not exists (select 1 from messages r where r.thread_id = m.id and r.id >= ${cutoffId})
      order by m.id
      limit ${limit}
    ),
    files as (
      delete from attachments a where a.message_id in (select id from doomed) returning a.storage_key, a.thumbnail_key
    ),
    gone as (
      delete from messages m where m.id in (select id from doomed) returning m.id
    )
    select (select count(*)::int from gone) as deleted,
      (select max(id) from doomed) as last_id,
      coalesce((select json_agg(json_build_object('storageKey', storage_key, 'thumbnailKey', thumbnail_key)) from files), '[]'::json) as files`);
  const [row] = rowsOf<{ deleted: number; last_id: string | null; files: unknown }>(res);
  const files = (typeof row?.files === 'string' ? JSON.parse(row.files) : (row?.files ?? [])) as { storageKey: string; thumbnailKey: string | null }[];
  return { deleted: Number(row?.deleted ?? 0), lastId: row?.last_id ?? null, files };
}
