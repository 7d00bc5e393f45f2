import { requireUser } from '@/lib/auth/request';
import { noContent, param, route } from '@/lib/http';
import { adminRevokeInvitation, requireAdmin } from '@/lib/services/admin';

export const dynamic = 'force-dynamic';

export const DELETE = route(async (req, params) => {
  const actor = await requireUser(req);
  requireAdmin(actor);
  await adminRevokeInvitation(actor, param(params, 'id'));
  return noContent();
});
