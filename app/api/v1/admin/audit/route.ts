import { requireUser } from '@/lib/auth/request';
import { json, readQuery, route } from '@/lib/http';
import { requireAdmin } from '@/lib/services/admin';
import { listAuditLog } from '@/lib/services/security-events';
import { adminAuditQuery } from '@/lib/validation/admin';

export const dynamic = 'force-dynamic';

export const GET = route(async (req) => {
  const actor = await requireUser(req);
  requireAdmin(actor);
  return json(await listAuditLog(readQuery(req, adminAuditQuery)));
});
