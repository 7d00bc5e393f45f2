import { requireUser } from '@/lib/auth/request';
import { json, readQuery, route } from '@/lib/http';
import { requireAdmin } from '@/lib/services/admin';
import { adminListReports } from '@/lib/services/moderation';
import { adminListReportsQuery } from '@/lib/validation/admin';

export const dynamic = 'force-dynamic';

export const GET = route(async (req) => {
  const actor = await requireUser(req);
  requireAdmin(actor);
  return json({ reports: await adminListReports(actor, readQuery(req, adminListReportsQuery)) });
});
