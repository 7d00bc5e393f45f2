import { requireUser } from '@/lib/auth/request';
import { json, param, readJson, route } from '@/lib/http';
import { requireAdmin } from '@/lib/services/admin';
import { adminResolveReport } from '@/lib/services/moderation';
import { resolveReportSchema } from '@/lib/validation/admin';

export const dynamic = 'force-dynamic';

export const POST = route(async (req, params) => {
  const actor = await requireUser(req);
  requireAdmin(actor);
  return json({ report: await adminResolveReport(actor, param(params, 'id'), await readJson(req, resolveReportSchema)) });
});
