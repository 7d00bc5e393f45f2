import { requireUser } from '@/lib/auth/request';
import { json, route } from '@/lib/http';
import { adminOverview, requireAdmin } from '@/lib/services/admin';

export const dynamic = 'force-dynamic';

export const GET = route(async (req) => {
  const actor = await requireUser(req);
  requireAdmin(actor);
  return json({ overview: await adminOverview(actor) });
});
