import { publicOrigin } from '@/lib/admin-http';
import { requireUser } from '@/lib/auth/request';
import { json, param, route } from '@/lib/http';
import { adminIssuePasswordReset, requireAdmin } from '@/lib/services/admin';

export const dynamic = 'force-dynamic';

/** A one-time link, valid for an hour, that the admin hands over (there is no e-mail). */
export const POST = route(async (req, params) => {
  const actor = await requireUser(req);
  requireAdmin(actor);
  return json({ reset: await adminIssuePasswordReset(actor, param(params, 'id'), publicOrigin(req)) }, 201);
});
