import { requireUser } from '@/lib/auth/request';
import { json, route } from '@/lib/http';
import { requireAdmin } from '@/lib/services/admin';
import { listBackups, takeBackupIntoDataDir } from '@/lib/services/backups';

export const dynamic = 'force-dynamic';

/** The backups in DATA_DIR/backups (scheduled or taken here). */
export const GET = route(async (req) => {
  requireAdmin(await requireUser(req));
  return json({ backups: await listBackups() });
});

/** Takes a backup now into DATA_DIR/backups (keeps the newest BACKUP_KEEP). */
export const POST = route(async (req) => {
  requireAdmin(await requireUser(req));
  return json({ backup: await takeBackupIntoDataDir() }, 201);
});
